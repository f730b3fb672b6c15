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

    [LoggerMessage(EventId = 4004, EventName = "ImapStoreNotConfigured", Level = LogLevel.Warning,
        Message = "Recorded an IMAP copy for {Recipient}, but Gateway:Remediation:Imap:Host is not set; "
            + "it cannot be moved until it is")]
    public static partial void ImapStoreNotConfigured(ILogger logger, string recipient);

    [LoggerMessage(EventId = 4010, EventName = "EventHandled", Level = LogLevel.Information,
        Message = "Fingerprint event {EventId} ({Kind}, {FingerprintCount} fingerprints, from {Source}): "
            + "{Found} copies found, {Acted} acted on, {Failed} failed, {Skipped} skipped")]
    public static partial void EventHandled(
        ILogger logger, string eventId, string kind, int fingerprintCount, string source,
        int found, int acted, int failed, int skipped);

    [LoggerMessage(EventId = 4011, EventName = "TooManyCopies", Level = LogLevel.Warning,
        Message = "Fingerprint event {EventId} names {Found} copies; acting on the first {Limit}, "
            + "the rest stay as they are until another event names them")]
    public static partial void TooManyCopies(ILogger logger, string eventId, int found, int limit);

    [LoggerMessage(EventId = 4020, EventName = "CopyActed", Level = LogLevel.Information,
        Message = "Copy {CopyId} of queue {QueueId} for {Recipient} ({Store}): {Action} -> {Result}, "
            + "state {OldState} -> {NewState}: {Detail}")]
    public static partial void CopyActed(
        ILogger logger, string copyId, string queueId, string recipient, string store, string action,
        string result, string oldState, string newState, string detail);

    [LoggerMessage(EventId = 4021, EventName = "CopyActionFailed", Level = LogLevel.Warning,
        Message = "Copy {CopyId} of queue {QueueId} for {Recipient} ({Store}): {Action} failed, "
            + "state stays {State}: {Detail}")]
    public static partial void CopyActionFailed(
        ILogger logger, string copyId, string queueId, string recipient, string store, string action,
        string state, string detail);

    [LoggerMessage(EventId = 4022, EventName = "CopyBusy", Level = LogLevel.Information,
        Message = "Copy {CopyId} is being acted on by another worker; skipped for event {EventId}")]
    public static partial void CopyBusy(ILogger logger, string copyId, string eventId);

    [LoggerMessage(EventId = 4023, EventName = "CopyActionCrashed", Level = LogLevel.Error,
        Message = "Acting on copy {CopyId} for event {EventId} threw; the other copies go on")]
    public static partial void CopyActionCrashed(ILogger logger, string copyId, string eventId, Exception exception);

    [LoggerMessage(EventId = 4024, EventName = "NoStoreAdapter", Level = LogLevel.Warning,
        Message = "Copy {CopyId} is in a store of kind {Store}, which no adapter handles")]
    public static partial void NoStoreAdapter(ILogger logger, string copyId, string store);

    [LoggerMessage(EventId = 4025, EventName = "CopyExpiredWhileActing", Level = LogLevel.Information,
        Message = "Copy {CopyId} left the window while being acted on; its new state was not stored")]
    public static partial void CopyExpiredWhileActing(ILogger logger, string copyId);
}
