using Gateway.V1;

namespace Gateway.MtaEdge.Queue;

/// <summary>The queue's recipient status as the admin API reports it (protos/gateway/v1/queue_admin.proto).</summary>
public static class RecipientStatusExtensions
{
    public static QueuedRecipientState ToAdminState(this RecipientStatus status) => status switch
    {
        RecipientStatus.Pending => QueuedRecipientState.Pending,
        RecipientStatus.Delivered => QueuedRecipientState.Delivered,
        _ => QueuedRecipientState.Failed,
    };
}
