using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Admin;

/// <summary>Log events of queue administration (event ids 3200-3209): who changed the queue is worth a line.</summary>
internal static partial class QueueAdminLog
{
    [LoggerMessage(EventId = 3200, EventName = "QueueRetryRequested", Level = LogLevel.Information,
        Message = "{QueueId}: retry requested by an administrator")]
    public static partial void RetryRequested(ILogger logger, string queueId);

    [LoggerMessage(EventId = 3201, EventName = "QueueMessageDeleted", Level = LogLevel.Warning,
        Message = "{QueueId}: deleted by an administrator, {Pending} recipient(s) never delivered")]
    public static partial void Deleted(ILogger logger, string queueId, int pending);
}
