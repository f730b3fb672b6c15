using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>Log events of the Kafka queue and its delivery (event ids 3400-3499). Names are a contract for log
/// queries.</summary>
internal static partial class KafkaQueueLog
{
    [LoggerMessage(EventId = 3400, EventName = "KafkaQueued", Level = LogLevel.Information,
        Message = "{QueueId}: queued in Kafka for {RecipientCount} recipient(s), {Size} octets")]
    public static partial void Queued(ILogger logger, string queueId, int recipientCount, long size);

    [LoggerMessage(EventId = 3401, EventName = "KafkaQueueRecordUnreadable", Level = LogLevel.Error,
        Message = "{Topic} [{Partition}] @{Offset}: unreadable queue record ({Reason}); set aside on the dead-letter "
            + "topic")]
    public static partial void RecordUnreadable(ILogger logger, string topic, int partition, long offset,
        string reason);

    [LoggerMessage(EventId = 3402, EventName = "KafkaDeliveryAlreadyDone", Level = LogLevel.Debug,
        Message = "{QueueId}: {Recipient} was {State} already (record read again); nothing to do")]
    public static partial void AlreadyDone(ILogger logger, string queueId, string recipient, string state);

    [LoggerMessage(EventId = 3403, EventName = "KafkaDeliveryHeld", Level = LogLevel.Information,
        Message = "{QueueId}: {Recipient} is being delivered by another attempt; looking again later")]
    public static partial void Held(ILogger logger, string queueId, string recipient);

    [LoggerMessage(EventId = 3404, EventName = "KafkaDeliveryOrphaned", Level = LogLevel.Warning,
        Message = "{QueueId}: {Recipient} was claimed by an edge that died; the store says {Probe}")]
    public static partial void Orphaned(ILogger logger, string queueId, string recipient, string probe);

    [LoggerMessage(EventId = 3405, EventName = "KafkaDeliveryRetryQueued", Level = LogLevel.Information,
        Message = "{QueueId}: {RecipientCount} recipient(s) to try again after {DelaySeconds} s ({Topic})")]
    public static partial void RetryQueued(ILogger logger, string queueId, int recipientCount, long delaySeconds,
        string topic);

    [LoggerMessage(EventId = 3406, EventName = "KafkaDeliveryRecordNotPublished", Level = LogLevel.Warning,
        Message = "{QueueId}: delivered to {Recipient}, but the delivery record could not be published")]
    public static partial void RecordNotPublished(ILogger logger, string queueId, string recipient,
        Exception exception);

    [LoggerMessage(EventId = 3407, EventName = "KafkaOutcomeNotPublished", Level = LogLevel.Debug,
        Message = "{QueueId}: reputation outcome {Kind} not published")]
    public static partial void OutcomeNotPublished(ILogger logger, string queueId, string kind, Exception exception);

    [LoggerMessage(EventId = 3408, EventName = "KafkaOwnerHeartbeatFailed", Level = LogLevel.Warning,
        Message = "Delivery owner {OwnerId}: heartbeat not written")]
    public static partial void HeartbeatFailed(ILogger logger, string ownerId, Exception exception);

    [LoggerMessage(EventId = 3409, EventName = "KafkaDeliveryStarted", Level = LogLevel.Information,
        Message = "Kafka delivery to {Target} started as owner {OwnerId}; delay topics {DelayTopics}")]
    public static partial void Started(ILogger logger, string target, string ownerId, string delayTopics);

    [LoggerMessage(EventId = 3410, EventName = "KafkaDeliveryReportFailed", Level = LogLevel.Error,
        Message = "{QueueId}: the failure report could not be queued; trying the record again")]
    public static partial void ReportFailed(ILogger logger, string queueId, Exception exception);

    [LoggerMessage(EventId = 3411, EventName = "KafkaDeliveryAttempt", Level = LogLevel.Information,
        Message = "Delivery attempt {Attempt} of {QueueId} to {Target}: {RecipientCount} recipient(s) "
            + "({Delivered} delivered, {Deferred} deferred, {Failed} failed) in {DurationMs} ms")]
    public static partial void Attempt(
        ILogger logger, int attempt, string queueId, string target, int recipientCount,
        int delivered, int deferred, int failed, long durationMs);

    [LoggerMessage(EventId = 3412, EventName = "KafkaDeliveryProbeFailed", Level = LogLevel.Warning,
        Message = "{QueueId}: the store could not be searched for an orphaned copy; delivering again")]
    public static partial void ProbeFailed(ILogger logger, string queueId, Exception exception);

    [LoggerMessage(EventId = 3413, EventName = "KafkaQueueIndexWriteFailed", Level = LogLevel.Warning,
        Message = "{QueueId}: the queue index was not updated ({Operation}); delivery goes on")]
    public static partial void IndexWriteFailed(ILogger logger, string queueId, string operation, Exception exception);

    [LoggerMessage(EventId = 3414, EventName = "KafkaDeliveryDeleted", Level = LogLevel.Warning,
        Message = "{QueueId}: deleted by an administrator; {RecipientCount} recipient(s) dropped without delivery")]
    public static partial void DroppedDeleted(ILogger logger, string queueId, int recipientCount);

    [LoggerMessage(EventId = 3415, EventName = "KafkaDeliverySuperseded", Level = LogLevel.Information,
        Message = "{QueueId}: record of generation {Generation} superseded by a retry (generation {Current}); "
            + "nothing to do")]
    public static partial void Superseded(ILogger logger, string queueId, long generation, long current);
}
