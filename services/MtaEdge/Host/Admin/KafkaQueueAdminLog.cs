namespace Gateway.MtaEdge.Host.Admin;

/// <summary>Log events of queue administration on a cluster edge (event ids 3210-3219); the standalone's are
/// 3200-3209.</summary>
internal static partial class KafkaQueueAdminLog
{
    [LoggerMessage(EventId = 3210, EventName = "ClusterQueueRetryRequested", Level = LogLevel.Information,
        Message = "{QueueId}: retry requested by an administrator; queued again as generation {Generation}")]
    public static partial void RetryRequested(ILogger logger, string queueId, long generation);

    [LoggerMessage(EventId = 3211, EventName = "ClusterQueueMessageDeleted", Level = LogLevel.Warning,
        Message = "{QueueId}: deleted by an administrator, {Pending} recipient(s) never delivered")]
    public static partial void Deleted(ILogger logger, string queueId, int pending);
}
