using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Queue;

/// <summary>Log events of the spool (event ids 3000-3099). Names are a contract for log queries.</summary>
internal static partial class SpoolLog
{
    [LoggerMessage(EventId = 3000, EventName = "SpoolStored", Level = LogLevel.Information,
        Message = "Queued {QueueId}: {RecipientCount} recipient(s), {Size} octets")]
    public static partial void Stored(ILogger logger, string queueId, int recipientCount, long size);

    [LoggerMessage(EventId = 3001, EventName = "SpoolStoreFailed", Level = LogLevel.Error,
        Message = "Could not queue {QueueId}; the client is told to retry")]
    public static partial void StoreFailed(ILogger logger, string queueId, Exception exception);

    [LoggerMessage(EventId = 3002, EventName = "SpoolRecovered", Level = LogLevel.Information,
        Message = "Spool {SpoolDir} recovered: {Messages} message(s) queued, {Removed} unacknowledged file(s) removed, "
            + "{Corrupt} corrupt envelope(s) set aside")]
    public static partial void Recovered(ILogger logger, string spoolDir, int messages, int removed, int corrupt);

    [LoggerMessage(EventId = 3003, EventName = "SpoolCorruptEnvelope", Level = LogLevel.Error,
        Message = "Envelope of {QueueId} is unusable and was moved to {CorruptDir}: {Reason}")]
    public static partial void CorruptEnvelope(ILogger logger, string queueId, string corruptDir, string reason);

    [LoggerMessage(EventId = 3004, EventName = "SpoolOrphanRemoved", Level = LogLevel.Warning,
        Message = "Removed {File}: written but never acknowledged to the client")]
    public static partial void OrphanRemoved(ILogger logger, string file);

    [LoggerMessage(EventId = 3005, EventName = "SpoolRemoved", Level = LogLevel.Debug,
        Message = "Removed {QueueId} from the queue")]
    public static partial void Removed(ILogger logger, string queueId);

    [LoggerMessage(EventId = 3006, EventName = "SpoolRecoveryEntryFailed", Level = LogLevel.Error,
        Message = "Could not recover spool entry {File}; it stays where it is")]
    public static partial void RecoveryEntryFailed(ILogger logger, string file, Exception exception);
}
