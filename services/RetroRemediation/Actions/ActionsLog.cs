using Microsoft.Extensions.Logging;

namespace Gateway.RetroRemediation.Actions;

/// <summary>
/// Events of the action runner and the pending-action worker. Names and ids are a contract for log queries.
/// </summary>
internal static partial class ActionsLog
{
    [LoggerMessage(EventId = 4020, EventName = "CopyActed", Level = LogLevel.Information,
        Message = "Copy {CopyId} of queue {QueueId} for {Recipient} ({Store}): {Action} -> {Result}, "
            + "state {OldState} -> {NewState}: {Detail}")]
    public static partial void CopyActed(
        ILogger logger, string copyId, string queueId, string recipient, string store, string action, string result,
        string oldState, string newState, string detail);

    [LoggerMessage(EventId = 4021, EventName = "CopyActionFailed", Level = LogLevel.Warning,
        Message = "Copy {CopyId} of queue {QueueId} for {Recipient} ({Store}): {Action} failed on try {Attempt}, "
            + "retrying in {Delay}: {Detail}")]
    public static partial void CopyActionFailed(
        ILogger logger, string copyId, string queueId, string recipient, string store, string action, int attempt,
        TimeSpan delay, string detail);

    [LoggerMessage(EventId = 4022, EventName = "CopyBusy", Level = LogLevel.Debug,
        Message = "Copy {CopyId} is being acted on by another worker; event {EventId} looks again shortly")]
    public static partial void CopyBusy(ILogger logger, string copyId, string eventId);

    [LoggerMessage(EventId = 4023, EventName = "CopyActionCrashed", Level = LogLevel.Error,
        Message = "Acting on copy {CopyId} for event {EventId} threw; the action stays pending and is tried again")]
    public static partial void ActionCrashed(ILogger logger, string copyId, string eventId, Exception exception);

    [LoggerMessage(EventId = 4025, EventName = "CopyExpiredWhileActing", Level = LogLevel.Information,
        Message = "Copy {CopyId} left the window while being acted on; its new state was not stored")]
    public static partial void CopyExpiredWhileActing(ILogger logger, string copyId);

    [LoggerMessage(EventId = 4026, EventName = "GaveUp", Level = LogLevel.Warning,
        Message = "Copy {CopyId} left the window after {Attempts} failed tries; its action is dropped. "
            + "Last error: {LastError}")]
    public static partial void GaveUp(ILogger logger, string copyId, int attempts, string lastError);

    [LoggerMessage(EventId = 4027, EventName = "AuditWriteFailed", Level = LogLevel.Warning,
        Message = "Could not write the audit entry for copy {CopyId}")]
    public static partial void AuditWriteFailed(ILogger logger, string copyId, Exception exception);

    [LoggerMessage(EventId = 4510, EventName = "WorkerPollFailed", Level = LogLevel.Warning,
        Message = "The pending-action worker could not read the pending list; trying again in {Delay}")]
    public static partial void WorkerPollFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 4511, EventName = "WorkerPicked", Level = LogLevel.Debug,
        Message = "The pending-action worker took {Count} due actions")]
    public static partial void WorkerPicked(ILogger logger, int count);

    [LoggerMessage(EventId = 4512, EventName = "StatisticsFailed", Level = LogLevel.Debug,
        Message = "Could not read the cache statistics for the metrics")]
    public static partial void StatisticsFailed(ILogger logger, Exception exception);
}
