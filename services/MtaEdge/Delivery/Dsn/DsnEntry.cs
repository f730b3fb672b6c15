using Gateway.MtaEdge.Queue;

namespace Gateway.MtaEdge.Delivery.Dsn;

/// <summary>One recipient in a delivery status notification and what happened to it (RFC 3464 2.3.3 Action).</summary>
public sealed record DsnEntry(QueuedRecipient Recipient, string Action)
{
    public const string Failed = "failed";
}
