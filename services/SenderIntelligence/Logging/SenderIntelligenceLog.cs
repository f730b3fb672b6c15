using Microsoft.Extensions.Logging;

namespace Gateway.SenderIntelligence.Logging;

/// <summary>
/// Log events of the sender intelligence tier; each carries the edge's session id. Event names are a contract
/// once shipped.
/// </summary>
internal static partial class SenderIntelligenceLog
{
    [LoggerMessage(EventId = 1, EventName = "SenderBlocked", Level = LogLevel.Information,
        Message = "Session {SessionId}: {ClientIp} refused, on the block list as {Network}")]
    public static partial void Blocked(ILogger logger, string sessionId, string clientIp, string network);

    [LoggerMessage(EventId = 2, EventName = "SenderAllowListed", Level = LogLevel.Debug,
        Message = "Session {SessionId}: {ClientIp} accepted, on the allow list as {Network}")]
    public static partial void AllowListed(ILogger logger, string sessionId, string clientIp, string network);

    [LoggerMessage(EventId = 3, EventName = "SenderConcurrencyLimit", Level = LogLevel.Information,
        Message = "Session {SessionId}: {ClientIp} deferred, {ActiveLeases} sessions open (limit {Limit})")]
    public static partial void ConcurrencyLimit(
        ILogger logger, string sessionId, string clientIp, long activeLeases, int limit);

    [LoggerMessage(EventId = 4, EventName = "SenderLeaseTaken", Level = LogLevel.Debug,
        Message = "Session {SessionId}: {ClientIp} accepted, lease {LeaseId}, {ActiveLeases} of {Limit} in use")]
    public static partial void LeaseTaken(
        ILogger logger, string sessionId, string clientIp, string leaseId, long activeLeases, int limit);

    [LoggerMessage(EventId = 5, EventName = "SenderStoreUnavailableFailOpen", Level = LogLevel.Warning,
        Message = "Session {SessionId}: connection limit of {ClientIp} not checked, store unavailable; "
                  + "accepted without a lease (FailOpen)")]
    public static partial void FailOpen(ILogger logger, string sessionId, string clientIp, Exception exception);

    [LoggerMessage(EventId = 6, EventName = "SenderStoreUnavailableFailClosed", Level = LogLevel.Warning,
        Message = "Session {SessionId}: connection limit of {ClientIp} not checked, store unavailable; "
                  + "deferred (FailOpen is off)")]
    public static partial void FailClosed(ILogger logger, string sessionId, string clientIp, Exception exception);

    [LoggerMessage(EventId = 7, EventName = "SenderInvalidClientAddress", Level = LogLevel.Warning,
        Message = "Session {SessionId}: the edge reported client address '{ClientIp}', which is not an IP address")]
    public static partial void InvalidClientAddress(ILogger logger, string sessionId, string clientIp);

    [LoggerMessage(EventId = 8, EventName = "SenderLeaseReleased", Level = LogLevel.Debug,
        Message = "Session {SessionId}: lease {LeaseId} of {ClientIp} released")]
    public static partial void LeaseReleased(ILogger logger, string sessionId, string clientIp, string leaseId);

    [LoggerMessage(EventId = 9, EventName = "SenderLeaseReleaseFailed", Level = LogLevel.Warning,
        Message = "Session {SessionId}: lease {LeaseId} of {ClientIp} not released, store unavailable; "
                  + "it expires by itself")]
    public static partial void ReleaseFailed(
        ILogger logger, string sessionId, string clientIp, string leaseId, Exception exception);

    [LoggerMessage(EventId = 10, EventName = "SenderReleaseIgnored", Level = LogLevel.Debug,
        Message = "Session {SessionId}: release request without a usable address or lease id ignored")]
    public static partial void ReleaseIgnored(ILogger logger, string sessionId);
}
