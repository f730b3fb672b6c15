namespace Gateway.RetroRemediation.Host.Events;

/// <summary>Log events of the remediation service's Kafka consumers (event ids 7300-7319).</summary>
internal static partial class RemediationEventsLog
{
    [LoggerMessage(EventId = 7300, EventName = "RemediationRecordUnusable", Level = LogLevel.Error,
        Message = "Unusable {What} at {Topic} [{Partition}] @{Offset}; skipped")]
    public static partial void Unusable(
        ILogger logger, string what, string topic, int partition, long offset, Exception exception);

    [LoggerMessage(EventId = 7301, EventName = "RemediationEventAlreadyHandled", Level = LogLevel.Debug,
        Message = "Fingerprint event {EventId} was handled already (record read again)")]
    public static partial void AlreadyHandled(ILogger logger, string eventId);

    [LoggerMessage(EventId = 7302, EventName = "RemediationEventMalformed", Level = LogLevel.Error,
        Message = "Fingerprint event {EventId} is malformed; skipped")]
    public static partial void Malformed(ILogger logger, string eventId, Exception exception);
}
