using Microsoft.Extensions.Logging;

namespace Gateway.RetroRemediation.Cache;

internal static partial class DeliveredMailCacheLog
{
    [LoggerMessage(EventId = 4101, EventName = "CorruptCopy", Level = LogLevel.Warning,
        Message = "Delivered copy {CopyId} could not be decoded and is ignored")]
    public static partial void CorruptCopy(ILogger logger, string copyId, Exception exception);

    [LoggerMessage(EventId = 4102, EventName = "StaleIndexEntriesRemoved", Level = LogLevel.Debug,
        Message = "Removed {Count} index entries of expired copies")]
    public static partial void StaleIndexEntriesRemoved(ILogger logger, int count);
}
