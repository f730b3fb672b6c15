using Gateway.SenderIntelligence.Store;
using Microsoft.Extensions.Logging;

namespace Gateway.SenderIntelligence.Logging;

/// <summary>
/// Log events of the sender intelligence tier; per-session events carry the edge's session id. Event names are a
/// contract once shipped.
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
        ILogger logger, string sessionId, string clientIp, long activeLeases, long limit);

    [LoggerMessage(EventId = 4, EventName = "SenderLeaseTaken", Level = LogLevel.Debug,
        Message = "Session {SessionId}: {ClientIp} accepted as {Tier}, lease {LeaseId}, "
                  + "{ActiveLeases} of {Limit} in use")]
    public static partial void LeaseTaken(
        ILogger logger, string sessionId, string clientIp, string tier, string leaseId, long activeLeases, long limit);

    [LoggerMessage(EventId = 5, EventName = "SenderStoreUnavailableFailOpen", Level = LogLevel.Warning,
        Message = "Session {SessionId}: {Stage} limits of {ClientIp} not checked, store unavailable; "
                  + "accepted without them (FailOpen)")]
    private static partial void FailOpenCore(
        ILogger logger, string sessionId, string stage, string clientIp, Exception exception);

    [LoggerMessage(EventId = 6, EventName = "SenderStoreUnavailableFailClosed", Level = LogLevel.Warning,
        Message = "Session {SessionId}: {Stage} limits of {ClientIp} not checked, store unavailable; "
                  + "deferred (FailOpen is off)")]
    private static partial void FailClosedCore(
        ILogger logger, string sessionId, string stage, string clientIp, Exception exception);

    [LoggerMessage(EventId = 24, EventName = "SenderStoreSkipped", Level = LogLevel.Debug,
        Message = "Session {SessionId}: {Stage} limits of {ClientIp} not checked while the store is unavailable "
                  + "({Outcome})")]
    private static partial void StoreSkipped(
        ILogger logger, string sessionId, string stage, string clientIp, string outcome);

    /// <summary>
    /// A check went on without the store. Skips while the circuit is open are not warned about one by one: the
    /// circuit's own warning said the store is down.
    /// </summary>
    public static void FailOpen(ILogger logger, string sessionId, string stage, string clientIp, Exception exception)
    {
        if (exception is SenderStoreUnavailableException)
        {
            StoreSkipped(logger, sessionId, stage, clientIp, "accepted");
        }
        else
        {
            FailOpenCore(logger, sessionId, stage, clientIp, exception);
        }
    }

    /// <summary>As <see cref="FailOpen"/>, when FailOpen is off and the check defers.</summary>
    public static void FailClosed(ILogger logger, string sessionId, string stage, string clientIp,
        Exception exception)
    {
        if (exception is SenderStoreUnavailableException)
        {
            StoreSkipped(logger, sessionId, stage, clientIp, "deferred");
        }
        else
        {
            FailClosedCore(logger, sessionId, stage, clientIp, exception);
        }
    }

    [LoggerMessage(EventId = 19, EventName = "SenderStoreCircuitOpened", Level = LogLevel.Warning,
        Message = "Sender store unavailable; checks skip it for {RetryInterval} at a time until it answers again")]
    public static partial void StoreCircuitOpened(ILogger logger, TimeSpan retryInterval, Exception exception);

    [LoggerMessage(EventId = 23, EventName = "SenderStoreCircuitClosed", Level = LogLevel.Information,
        Message = "Sender store answers again; limits are checked again")]
    public static partial void StoreCircuitClosed(ILogger logger);

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

    [LoggerMessage(EventId = 11, EventName = "SenderListed", Level = LogLevel.Information,
        Message = "Session {SessionId}: {ClientIp} refused, listed by {Lists} (score {Score} of {Threshold})")]
    public static partial void Listed(
        ILogger logger, string sessionId, string clientIp, string lists, double score, double threshold);

    [LoggerMessage(EventId = 12, EventName = "SenderPoorReputation", Level = LogLevel.Information,
        Message = "Session {SessionId}: {ClientIp} refused at {Stage}, reputation {Reputation} "
                  + "at or below {Threshold}")]
    public static partial void PoorReputation(
        ILogger logger, string sessionId, string clientIp, string stage, double reputation, double threshold);

    [LoggerMessage(EventId = 13, EventName = "SenderTierBlocked", Level = LogLevel.Information,
        Message = "Session {SessionId}: {ClientIp} refused at {Stage}, tier blocked by {Source}")]
    public static partial void TierBlocked(
        ILogger logger, string sessionId, string clientIp, string stage, string source);

    [LoggerMessage(EventId = 14, EventName = "SenderConnectionRateLimit", Level = LogLevel.Information,
        Message = "Session {SessionId}: {ClientIp} deferred, {Connections} connections in the window (limit {Limit})")]
    public static partial void ConnectionRateLimit(
        ILogger logger, string sessionId, string clientIp, double connections, long limit);

    [LoggerMessage(EventId = 15, EventName = "SenderLimitReached", Level = LogLevel.Information,
        Message = "Session {SessionId}: {ClientIp} ({Tier}) deferred at {Stage}: {Reason}")]
    public static partial void LimitReached(
        ILogger logger, string sessionId, string clientIp, string tier, string stage, string reason);

    [LoggerMessage(EventId = 16, EventName = "SenderTierChanged", Level = LogLevel.Information,
        Message = "Sender {Subject} moved from {From} to {To} by {By}: {Reason}")]
    public static partial void TierChanged(
        ILogger logger, string subject, string from, string to, string by, string reason);

    [LoggerMessage(EventId = 17, EventName = "SenderSpamTrapHit", Level = LogLevel.Information,
        Message = "Session {SessionId}: {ClientIp} sent to the spam trap {Recipient}")]
    public static partial void SpamTrapHit(ILogger logger, string sessionId, string clientIp, string recipient);

    [LoggerMessage(EventId = 18, EventName = "SenderTransitionFailed", Level = LogLevel.Warning,
        Message = "Sender {Subject}: move from {From} to {To} not recorded, store unavailable")]
    public static partial void TransitionFailed(
        ILogger logger, string subject, string from, string to, Exception exception);

    [LoggerMessage(EventId = 20, EventName = "SenderPolicyLoaded", Level = LogLevel.Information,
        Message = "Sender policy {Path} loaded: {Rules} rules")]
    public static partial void PolicyLoaded(ILogger logger, string path, int rules);

    [LoggerMessage(EventId = 21, EventName = "SenderPolicyRefused", Level = LogLevel.Error,
        Message = "Sender policy {Path} refused, the running policy stays: line {Line}, column {Column}: {Reason}")]
    public static partial void PolicyRefused(ILogger logger, string path, int line, int column, string reason);

    [LoggerMessage(EventId = 22, EventName = "SenderPolicyUnreadable", Level = LogLevel.Error,
        Message = "Sender policy {Path} cannot be read, the running policy stays")]
    public static partial void PolicyUnreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 30, EventName = "SenderDnsblZoneDisabled", Level = LogLevel.Warning,
        Message = "DNS list zone {Zone} answers wrongly and is disabled (RFC 5782 self-check): {Problems}")]
    public static partial void DnsblZoneDisabled(ILogger logger, string zone, string problems);

    [LoggerMessage(EventId = 31, EventName = "SenderDnsblZoneReenabled", Level = LogLevel.Information,
        Message = "DNS list zone {Zone} passes its self-check again and is used")]
    public static partial void DnsblZoneReenabled(ILogger logger, string zone);

    [LoggerMessage(EventId = 32, EventName = "SenderDnsblSelfCheckNoAnswer", Level = LogLevel.Warning,
        Message = "DNS list zone {Zone} could not be self-checked: no usable answer for {Name}")]
    public static partial void DnsblSelfCheckNoAnswer(ILogger logger, string zone, string name);

    [LoggerMessage(EventId = 40, EventName = "SenderFeedLoaded", Level = LogLevel.Information,
        Message = "Reputation feed {Feed} loaded: {Entries} entries in {Ranges} ranges, {Invalid} invalid lines, "
                  + "{ElapsedMs} ms")]
    public static partial void FeedLoaded(
        ILogger logger, string feed, int entries, int ranges, int invalid, long elapsedMs);

    [LoggerMessage(EventId = 41, EventName = "SenderFeedInvalidLine", Level = LogLevel.Warning,
        Message = "Reputation feed {Feed}: {Error}")]
    public static partial void FeedInvalidLine(ILogger logger, string feed, string error);

    [LoggerMessage(EventId = 42, EventName = "SenderFeedFailed", Level = LogLevel.Warning,
        Message = "Reputation feed {Feed} not refreshed; its previous {Entries} entries stay in force")]
    public static partial void FeedFailed(ILogger logger, string feed, int entries, Exception exception);

    [LoggerMessage(EventId = 50, EventName = "SenderOverridesRefreshFailed", Level = LogLevel.Warning,
        Message = "Administrator decisions not refreshed from the store; the last ones known stay in force")]
    public static partial void OverridesRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 60, EventName = "SenderPostfixPolicyListening", Level = LogLevel.Information,
        Message = "Postfix policy delegation listening on {Endpoint}")]
    public static partial void PostfixListening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 61, EventName = "SenderPostfixPolicyBadRequest", Level = LogLevel.Information,
        Message = "Postfix policy client {Remote}: {Problem}; connection closed")]
    public static partial void PostfixBadRequest(ILogger logger, string remote, string problem);

    [LoggerMessage(EventId = 62, EventName = "SenderPostfixPolicyBusy", Level = LogLevel.Warning,
        Message = "Postfix policy client {Remote} refused: {Limit} connections already open")]
    public static partial void PostfixBusy(ILogger logger, string remote, int limit);

    [LoggerMessage(EventId = 63, EventName = "SenderPostfixPolicyFailed", Level = LogLevel.Warning,
        Message = "Postfix policy client {Remote}: the check failed; answered DEFER_IF_PERMIT")]
    public static partial void PostfixFailed(ILogger logger, string remote, Exception exception);

    [LoggerMessage(EventId = 64, EventName = "SenderStaleLeasesReleased", Level = LogLevel.Information,
        Message = "Gave back {Count} connection leases an earlier run of this node never released")]
    public static partial void StaleLeasesReleased(ILogger logger, long count);

    [LoggerMessage(EventId = 65, EventName = "SenderStaleLeasesNotReleased", Level = LogLevel.Warning,
        Message = "Could not give back the connection leases of an earlier run; they expire after the lease time")]
    public static partial void StaleLeasesNotReleased(ILogger logger, Exception exception);
}
