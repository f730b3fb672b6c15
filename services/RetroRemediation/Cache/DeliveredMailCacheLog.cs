using Microsoft.Extensions.Logging;

namespace Gateway.RetroRemediation.Cache;

internal static partial class DeliveredMailCacheLog
{
    [LoggerMessage(EventId = 4101, EventName = "CorruptCopy", Level = LogLevel.Warning,
        Message = "Delivered copy {CopyId} could not be decoded and is ignored")]
    public static partial void CorruptCopy(ILogger logger, string copyId, Exception exception);
}
