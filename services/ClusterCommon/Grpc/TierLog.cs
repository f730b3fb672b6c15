using Microsoft.Extensions.Logging;

namespace Gateway.ClusterCommon.Grpc;

internal static partial class TierLog
{
    [LoggerMessage(EventId = 7200, EventName = "TierCallFailed", Level = LogLevel.Warning,
        Message = "{Tier}.{Method} failed after {ElapsedMs} ms: {Status} {Detail}")]
    public static partial void CallFailed(ILogger logger, string tier, string method, long elapsedMs, string status,
        string detail);

    [LoggerMessage(EventId = 7201, EventName = "TierCallFailedOpen", Level = LogLevel.Warning,
        Message = "{Tier}.{Method} failed after {ElapsedMs} ms ({Status}); failing open as configured")]
    public static partial void FailedOpen(ILogger logger, string tier, string method, long elapsedMs, string status);
}
