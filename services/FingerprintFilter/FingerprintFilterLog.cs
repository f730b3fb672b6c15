using Microsoft.Extensions.Logging;

namespace Gateway.FingerprintFilter;

/// <summary>
/// Every log event of the fingerprint filter (EventIds 3000-3099). Event names are a contract for
/// dashboards and tests: keep them once shipped. No event carries message content.
/// </summary>
internal static partial class FingerprintFilterLog
{
    [LoggerMessage(EventId = 3001, EventName = "MessageUnparseable", Level = LogLevel.Debug,
        Message = "Message of {Bytes} bytes could not be parsed; it has no fingerprints")]
    public static partial void MessageUnparseable(ILogger logger, int bytes, Exception exception);

    [LoggerMessage(EventId = 3002, EventName = "MessageTooLarge", Level = LogLevel.Debug,
        Message = "Message of {Bytes} bytes exceeds {MaxBytes} bytes; it has no fingerprints")]
    public static partial void MessageTooLarge(ILogger logger, int bytes, int maxBytes);

    [LoggerMessage(EventId = 3003, EventName = "PartSkipped", Level = LogLevel.Debug,
        Message = "A {MediaType} part could not be decoded and was skipped")]
    public static partial void PartSkipped(ILogger logger, string mediaType, Exception exception);

    [LoggerMessage(EventId = 3004, EventName = "PartLimitReached", Level = LogLevel.Debug,
        Message = "Message has more than {MaxParts} MIME parts; the rest were ignored")]
    public static partial void PartLimitReached(ILogger logger, int maxParts);

    [LoggerMessage(EventId = 3005, EventName = "AlgorithmFailed", Level = LogLevel.Warning,
        Message = "Computing {Kind} fingerprints failed; the message has none of that kind")]
    public static partial void AlgorithmFailed(ILogger logger, string kind, Exception exception);

    [LoggerMessage(EventId = 3010, EventName = "Scanned", Level = LogLevel.Information,
        Message = "Scanned {QueueId}: {Action} ({Reason}), {FingerprintCount} fingerprints, {MatchedCount} known spam")]
    public static partial void Scanned(
        ILogger logger, string queueId, string action, string reason, int fingerprintCount, int matchedCount);

    [LoggerMessage(EventId = 3011, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "Fingerprint store unavailable while scanning {QueueId}; failing {Mode}")]
    public static partial void StoreUnavailable(ILogger logger, string queueId, string mode, Exception exception);

    [LoggerMessage(EventId = 3020, EventName = "ReportRecorded", Level = LogLevel.Information,
        Message = "{Kind} report from {Source} for <{MessageId}>: {FingerprintCount} fingerprints, changed {Changed}")]
    public static partial void ReportRecorded(
        ILogger logger, string kind, string source, string? messageId, int fingerprintCount, bool changed);

    [LoggerMessage(EventId = 3021, EventName = "ReportWithoutFingerprints", Level = LogLevel.Information,
        Message = "{Kind} report from {Source} for <{MessageId}> changes nothing: the message has no fingerprints")]
    public static partial void ReportWithoutFingerprints(ILogger logger, string kind, string source, string? messageId);

    [LoggerMessage(EventId = 3022, EventName = "EventPublished", Level = LogLevel.Information,
        Message = "Published {EventKind} {EventId} with {FingerprintCount} fingerprints; remediation: {Remediation}")]
    public static partial void EventPublished(
        ILogger logger, string eventKind, string eventId, int fingerprintCount, string remediation);

    [LoggerMessage(EventId = 3023, EventName = "EventNotPublished", Level = LogLevel.Information,
        Message = "{Kind} report from {Source} stored but not published: it has only attachment fingerprints")]
    public static partial void EventNotPublished(ILogger logger, string kind, string source);

    [LoggerMessage(EventId = 3024, EventName = "PublishFailed", Level = LogLevel.Error,
        Message = "Publishing {EventKind} {EventId} failed; the store is updated, a repeated report publishes again")]
    public static partial void PublishFailed(ILogger logger, string eventKind, string eventId, Exception exception);
}
