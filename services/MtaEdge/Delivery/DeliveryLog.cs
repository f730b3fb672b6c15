using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Delivery;

/// <summary>Log events of delivery (event ids 3100-3199). Names are a contract for log queries.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 3100, EventName = "DeliveryAttempt", Level = LogLevel.Information,
        Message = "Delivery attempt {Attempt} of {QueueId} from client {Client} to {Target}: {Result}, "
            + "{RecipientCount} recipient(s) ({Delivered} delivered, {Deferred} deferred, {Failed} failed) "
            + "in {DurationMs} ms")]
    public static partial void Attempt(
        ILogger logger, int attempt, string queueId, string client, string target, string result,
        int recipientCount, int delivered, int deferred, int failed, long durationMs);

    [LoggerMessage(EventId = 3101, EventName = "DeliveryRecipientFailed", Level = LogLevel.Warning,
        Message = "{QueueId}: delivery to {Recipient} failed for good: {Reply}")]
    public static partial void RecipientFailed(ILogger logger, string queueId, string recipient, string reply);

    [LoggerMessage(EventId = 3102, EventName = "DeliveryRecipientDeferred", Level = LogLevel.Information,
        Message = "{QueueId}: delivery to {Recipient} deferred: {Reply}")]
    public static partial void RecipientDeferred(ILogger logger, string queueId, string recipient, string reply);

    [LoggerMessage(EventId = 3103, EventName = "DeliveryRescheduled", Level = LogLevel.Debug,
        Message = "{QueueId}: next attempt at {NextAttemptAt:O}")]
    public static partial void Rescheduled(ILogger logger, string queueId, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 3104, EventName = "DeliveryRecordFailed", Level = LogLevel.Warning,
        Message = "{QueueId}: delivered to {Recipient}, but recording it for remediation failed")]
    public static partial void RecordFailed(ILogger logger, string queueId, string recipient, Exception exception);

    [LoggerMessage(EventId = 3105, EventName = "DeliveryEnvelopeUpdateFailed", Level = LogLevel.Error,
        Message = "{QueueId}: could not save the delivery state; recipients may be delivered again after a restart")]
    public static partial void EnvelopeUpdateFailed(ILogger logger, string queueId, Exception exception);

    [LoggerMessage(EventId = 3106, EventName = "DeliveryContentUnreadable", Level = LogLevel.Error,
        Message = "{QueueId}: content could not be read; trying again later")]
    public static partial void ContentUnreadable(ILogger logger, string queueId, Exception exception);

    [LoggerMessage(EventId = 3107, EventName = "DeliveryReportQueued", Level = LogLevel.Information,
        Message = "{QueueId}: delivery report for {FailedCount} recipient(s) queued as {ReportQueueId}")]
    public static partial void ReportQueued(ILogger logger, string queueId, string reportQueueId, int failedCount);

    [LoggerMessage(EventId = 3108, EventName = "DeliveryNoReportNullSender", Level = LogLevel.Debug,
        Message = "{QueueId}: no failure report, the sender is null")]
    public static partial void NoReportNullSender(ILogger logger, string queueId);

    [LoggerMessage(EventId = 3109, EventName = "DeliveryNoReportRemoteSender", Level = LogLevel.Information,
        Message = "{QueueId}: no report, the sender is not in a local domain and no RemoteTargets are configured")]
    public static partial void NoReportRemoteSender(ILogger logger, string queueId);

    [LoggerMessage(EventId = 3116, EventName = "DeliveryNoReportNotWanted", Level = LogLevel.Debug,
        Message = "{QueueId}: no report for {Count} recipient(s): their NOTIFY does not ask for one")]
    public static partial void NoReportNotWanted(ILogger logger, string queueId, int count);

    [LoggerMessage(EventId = 3110, EventName = "DeliveryReportFailed", Level = LogLevel.Error,
        Message = "{QueueId}: the failure report could not be queued; the sender is not told")]
    public static partial void ReportFailed(ILogger logger, string queueId, Exception exception);

    [LoggerMessage(EventId = 3111, EventName = "DeliveryStarted", Level = LogLevel.Information,
        Message = "Delivery to {Target} started, {Concurrency} at a time")]
    public static partial void Started(ILogger logger, string target, int concurrency);

    [LoggerMessage(EventId = 3112, EventName = "DeliveryStopping", Level = LogLevel.Information,
        Message = "Delivery stopping: finishing {InFlight} attempt(s) in progress; queued messages stay queued")]
    public static partial void Stopping(ILogger logger, int inFlight);

    [LoggerMessage(EventId = 3113, EventName = "DeliveryAttemptCrashed", Level = LogLevel.Error,
        Message = "{QueueId}: delivery attempt failed unexpectedly; trying again later")]
    public static partial void AttemptCrashed(ILogger logger, string queueId, Exception exception);

    [LoggerMessage(EventId = 3114, EventName = "DeliveryNoRemediation", Level = LogLevel.Warning,
        Message = "No retro-remediation service is registered: delivered copies are not recorded")]
    public static partial void NoRemediation(ILogger logger);

    [LoggerMessage(EventId = 3115, EventName = "DeliveryContentMissing", Level = LogLevel.Error,
        Message = "{QueueId}: content file is missing; the envelope is set aside")]
    public static partial void ContentMissing(ILogger logger, string queueId);
}
