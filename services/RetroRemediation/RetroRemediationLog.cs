using Microsoft.Extensions.Logging;

namespace Gateway.RetroRemediation;

/// <summary>Events of <see cref="RetroRemediationService"/>. Names and ids are a contract for log queries.</summary>
internal static partial class RetroRemediationLog
{
    [LoggerMessage(EventId = 4001, EventName = "CopyRecorded", Level = LogLevel.Debug,
        Message = "Recorded copy {CopyId} of queue {QueueId} for {Recipient} "
            + "({Store}, {FingerprintCount} fingerprints)")]
    public static partial void CopyRecorded(
        ILogger logger, string copyId, string queueId, string recipient, string store, int fingerprintCount);

    [LoggerMessage(EventId = 4002, EventName = "CopyOutsideWindow", Level = LogLevel.Debug,
        Message = "Did not record the copy of queue {QueueId} for {Recipient}: delivered longer ago than the window")]
    public static partial void CopyOutsideWindow(ILogger logger, string queueId, string recipient);

    [LoggerMessage(EventId = 4003, EventName = "CopyWithoutFingerprints", Level = LogLevel.Debug,
        Message = "Did not record the copy of queue {QueueId} for {Recipient}: it has no fingerprints")]
    public static partial void CopyWithoutFingerprints(ILogger logger, string queueId, string recipient);

    [LoggerMessage(EventId = 4004, EventName = "StoreNotConfigured", Level = LogLevel.Warning,
        Message = "Recorded a copy for {Recipient}, but Gateway:Remediation:{Setting} is not set; actions on "
            + "copies of that store wait in the pending list until it is (said once per process)")]
    public static partial void StoreNotConfigured(ILogger logger, string recipient, string setting);

    [LoggerMessage(EventId = 4010, EventName = "EventHandled", Level = LogLevel.Information,
        Message = "Fingerprint event {EventId} ({Kind}, {FingerprintCount} fingerprints, from {Source}): "
            + "{Found} copies found, {Acted} acted on, {Failed} failed, {Skipped} skipped")]
    public static partial void EventHandled(
        ILogger logger, string eventId, string kind, int fingerprintCount, string source,
        int found, int acted, int failed, int skipped);

    [LoggerMessage(EventId = 4012, EventName = "SenderCharged", Level = LogLevel.Information,
        Message = "Fingerprint event {EventId}: message {QueueId} from {ClientIp} ({Copies} copies) reported to "
                  + "sender intelligence as convicted")]
    public static partial void SenderCharged(
        ILogger logger, string eventId, string queueId, string clientIp, int copies);

    [LoggerMessage(EventId = 4013, EventName = "SenderChargeFailed", Level = LogLevel.Warning,
        Message = "Fingerprint event {EventId}: convicted messages not reported to sender intelligence; their "
                  + "senders keep their reputation")]
    public static partial void SenderChargeFailed(ILogger logger, string eventId, Exception exception);

    [LoggerMessage(EventId = 4011, EventName = "TooManyCopies", Level = LogLevel.Warning,
        Message = "Fingerprint event {EventId} names {Found} copies; acting on the first {Limit}, "
            + "the rest stay as they are until another event names them")]
    public static partial void TooManyCopies(ILogger logger, string eventId, int found, int limit);
}
