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

    [LoggerMessage(EventId = 3006, EventName = "FingerprintLimitReached", Level = LogLevel.Debug,
        Message = "Message has more than {MaxFingerprints} fingerprints; the rest were left out")]
    public static partial void FingerprintLimitReached(ILogger logger, int maxFingerprints);

    [LoggerMessage(EventId = 3010, EventName = "Scanned", Level = LogLevel.Information,
        Message = "Scanned {QueueId}: {Action} ({Reason}), {FingerprintCount} fingerprints, " +
            "{MatchedCount} known spam, score {Score}")]
    public static partial void Scanned(
        ILogger logger, string queueId, string action, string reason, int fingerprintCount, int matchedCount,
        double score);

    [LoggerMessage(EventId = 3011, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "Fingerprint store unavailable while scanning {QueueId}; failing {Mode}")]
    public static partial void StoreUnavailable(ILogger logger, string queueId, string mode, Exception exception);

    [LoggerMessage(EventId = 3020, EventName = "ReportRecorded", Level = LogLevel.Information,
        Message = "{Kind} report from {Source} for <{MessageId}>: {FingerprintCount} fingerprints, weight {Weight}, " +
            "changed {Changed}, convicted {Convicted}")]
    public static partial void ReportRecorded(
        ILogger logger, string kind, string source, string? messageId, int fingerprintCount, double weight,
        bool changed, bool convicted);

    [LoggerMessage(EventId = 3021, EventName = "ReportWithoutFingerprints", Level = LogLevel.Information,
        Message = "{Kind} report from {Source} for <{MessageId}> changes nothing: the message has no fingerprints")]
    public static partial void ReportWithoutFingerprints(ILogger logger, string kind, string source, string? messageId);

    [LoggerMessage(EventId = 3022, EventName = "EventPublished", Level = LogLevel.Information,
        Message = "Published {EventKind} {EventId} with {FingerprintCount} fingerprints; remediation: {Remediation}")]
    public static partial void EventPublished(
        ILogger logger, string eventKind, string eventId, int fingerprintCount, string remediation);

    [LoggerMessage(EventId = 3023, EventName = "EventNotPublished", Level = LogLevel.Information,
        Message = "{Kind} report from {Source} stored but not published: it has no content fingerprint")]
    public static partial void EventNotPublished(ILogger logger, string kind, string source);

    [LoggerMessage(EventId = 3024, EventName = "PublishFailed", Level = LogLevel.Error,
        Message = "Publishing {EventKind} {EventId} failed; the store is updated, a repeated report publishes again")]
    public static partial void PublishFailed(ILogger logger, string eventKind, string eventId, Exception exception);

    [LoggerMessage(EventId = 3025, EventName = "ReporterDisagreed", Level = LogLevel.Information,
        Message = "Reporter {Reporter} contradicted a trusted decision; its weight drops")]
    public static partial void ReporterDisagreed(ILogger logger, string reporter);

    [LoggerMessage(EventId = 3030, EventName = "CacheReloaded", Level = LogLevel.Information,
        Message = "Fingerprint cache loaded: {Count} entries, change log at {Watermark}")]
    public static partial void CacheReloaded(ILogger logger, int count, long watermark);

    [LoggerMessage(EventId = 3031, EventName = "CacheSyncFailed", Level = LogLevel.Warning,
        Message = "Fingerprint cache cannot reach the store; scans use the store directly once the copy is stale")]
    public static partial void CacheSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3032, EventName = "CacheRecovered", Level = LogLevel.Information,
        Message = "Fingerprint cache is current again at {Watermark}")]
    public static partial void CacheRecovered(ILogger logger, long watermark);

    [LoggerMessage(EventId = 3040, EventName = "TrapHit", Level = LogLevel.Information,
        Message = "Message {QueueId} hit {TrapCount} spam trap(s); learned as spam, convicted {Convicted}")]
    public static partial void TrapHit(ILogger logger, string queueId, int trapCount, bool convicted);

    [LoggerMessage(EventId = 3041, EventName = "AbuseReportRead", Level = LogLevel.Information,
        Message = "Abuse report {QueueId} from {Reporter}: {Kind}, {MessageCount} reported message(s) learned")]
    public static partial void AbuseReportRead(
        ILogger logger, string queueId, string reporter, string kind, int messageCount);

    [LoggerMessage(EventId = 3050, EventName = "FeedImported", Level = LogLevel.Information,
        Message = "Imported {Learned} events from peer {Site} ({Skipped} skipped, {Convictions} new convictions); " +
            "watermark {Watermark}")]
    public static partial void FeedImported(
        ILogger logger, string site, int learned, int skipped, int convictions, long watermark);

    [LoggerMessage(EventId = 3051, EventName = "FeedEventSkipped", Level = LogLevel.Warning,
        Message = "Skipped event {Sequence} from peer {Site}: malformed {Problem}")]
    public static partial void FeedEventSkipped(ILogger logger, string site, long sequence, string problem);

    [LoggerMessage(EventId = 3052, EventName = "PeerSubscriptionFailed", Level = LogLevel.Warning,
        Message = "Subscription to peer {Site} failed; retrying in {Delay}")]
    public static partial void PeerSubscriptionFailed(ILogger logger, string site, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 3053, EventName = "PeerSubscribed", Level = LogLevel.Information,
        Message = "Subscribed to peer {Site} at {Url} from watermark {Watermark}")]
    public static partial void PeerSubscribed(ILogger logger, string site, string url, long watermark);

    [LoggerMessage(EventId = 3054, EventName = "FeedRejected", Level = LogLevel.Warning,
        Message = "Refused a feed batch claiming to be from {Site}: {Reason}")]
    public static partial void FeedRejected(ILogger logger, string site, string reason);

    [LoggerMessage(EventId = 3055, EventName = "SubscriberRefused", Level = LogLevel.Information,
        Message = "Refused feed subscriber {Subscriber}: not in Sharing:AllowedSubscribers")]
    public static partial void SubscriberRefused(ILogger logger, string subscriber);
}
