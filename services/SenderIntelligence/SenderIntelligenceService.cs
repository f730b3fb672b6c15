using System.Net;
using Gateway.Contracts;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Decisions;
using Gateway.SenderIntelligence.Leases;
using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Networks;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Telemetry;
using Gateway.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.SenderIntelligence;

/// <summary>
/// Decides at connect time whether a client may proceed: the local block list refuses, the local allow list
/// admits without limits, everyone else holds one of <see cref="SenderIntelligenceOptions.MaxConnectionsPerIp"/>
/// leases on concurrent sessions, counted in the shared store across all edges.
/// </summary>
public sealed class SenderIntelligenceService : ISenderIntelligence
{
    // Lease ids are our own GUIDs ("N" format, 32 characters); anything longer in a release is not ours.
    private const int MaxLeaseIdLength = 64;
    private const int MaxLoggedAddressLength = 64;

    private readonly SenderIntelligenceOptions _options;
    private readonly LocalSenderPolicy _policy;
    private readonly IConnectionLeaseStore _leases;
    private readonly SenderMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SenderIntelligenceService(
        IOptions<SenderIntelligenceOptions> options,
        IConnectionLeaseStore leases,
        SenderMetrics metrics,
        TimeProvider time,
        ILogger<SenderIntelligenceService> logger)
    {
        _options = options.Value;
        _policy = LocalSenderPolicy.FromOptions(_options);
        _leases = leases;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public async Task<ConnectDecision> CheckConnectAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        var decision = await DecideAsync(request, cancellationToken).ConfigureAwait(false);
        _metrics.RecordDecision(decision);
        return decision;
    }

    public async Task ReleaseConnectionAsync(ReleaseConnectionRequest request, CancellationToken cancellationToken)
    {
        if (!IpAddressParser.TryParseClient(request.ClientIp, out var client)
            || string.IsNullOrEmpty(request.LeaseId) || request.LeaseId.Length > MaxLeaseIdLength)
        {
            // Allow-listed and fail-open sessions hold no lease; their release has nothing to do.
            SenderIntelligenceLog.ReleaseIgnored(_logger, request.SessionId);
            return;
        }

        var clientText = client.ToString();
        try
        {
            await _leases.ReleaseAsync(client, request.LeaseId)
                .WaitAsync(_options.StoreTimeout, cancellationToken).ConfigureAwait(false);
            SenderIntelligenceLog.LeaseReleased(_logger, request.SessionId, clientText, request.LeaseId);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            // Not worth failing the session's teardown: the lease expires after ConnectionLeaseTime.
            _metrics.RecordStoreFailure("release");
            SenderIntelligenceLog.ReleaseFailed(_logger, request.SessionId, clientText, request.LeaseId, ex);
        }
    }

    private async Task<ConnectDecision> DecideAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        // Address: the edge reports the peer (after any PROXY header); normalise it for lists and keys.
        if (!IpAddressParser.TryParseClient(request.ClientIp, out var client))
        {
            SenderIntelligenceLog.InvalidClientAddress(_logger, request.SessionId, Truncate(request.ClientIp));
            return SenderReplies.InvalidClientAddress();
        }

        var clientText = client.ToString();

        // Local policy: block list before allow list.
        var match = _policy.Evaluate(client);
        if (match.List == PolicyListKind.Block)
        {
            SenderIntelligenceLog.Blocked(_logger, request.SessionId, clientText, match.Network.ToString());
            return SenderReplies.Blocked(client);
        }

        if (match.List == PolicyListKind.Allow)
        {
            SenderIntelligenceLog.AllowListed(_logger, request.SessionId, clientText, match.Network.ToString());
            return SenderReplies.AllowListed();
        }

        // Concurrency: one lease per session, released by the edge at session end or expiring by itself.
        return await TakeLeaseAsync(request.SessionId, client, clientText, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ConnectDecision> TakeLeaseAsync(
        string sessionId, IPAddress client, string clientText, CancellationToken cancellationToken)
    {
        var leaseId = Guid.NewGuid().ToString("N");
        var limit = _options.MaxConnectionsPerIp;
        var pending = _leases.TryAcquireAsync(
            client, leaseId, _time.GetUtcNow(), _options.ConnectionLeaseTime, limit);
        LeaseAcquisition acquisition;
        try
        {
            acquisition = await pending.WaitAsync(_options.StoreTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The edge gave up on the session; the script may still take the lease, which nobody would release.
            _ = ReleaseIfAcquiredLaterAsync(pending, client, leaseId);
            throw;
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            // Same after our own wait ran out: the script may still run once the store answers.
            _ = ReleaseIfAcquiredLaterAsync(pending, client, leaseId);
            _metrics.RecordStoreFailure("acquire");
            if (_options.FailOpen)
            {
                SenderIntelligenceLog.FailOpen(_logger, sessionId, clientText, ex);
                return SenderReplies.AcceptedFailOpen();
            }

            SenderIntelligenceLog.FailClosed(_logger, sessionId, clientText, ex);
            return SenderReplies.StoreUnavailable();
        }

        if (!acquisition.Acquired)
        {
            SenderIntelligenceLog.ConcurrencyLimit(_logger, sessionId, clientText, acquisition.ActiveLeases, limit);
            return SenderReplies.TooManyConnections(client);
        }

        SenderIntelligenceLog.LeaseTaken(_logger, sessionId, clientText, leaseId, acquisition.ActiveLeases, limit);
        return SenderReplies.Accepted(leaseId);
    }

    private async Task ReleaseIfAcquiredLaterAsync(Task<LeaseAcquisition> pending, IPAddress client, string leaseId)
    {
        try
        {
            var late = await pending.ConfigureAwait(false);
            if (late.Acquired)
            {
                await _leases.ReleaseAsync(client, leaseId).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Background clean-up never surfaces an error: the lease, if it was ever taken, expires after
            // ConnectionLeaseTime, and the failure to take it was already logged and counted.
        }
    }

    /// <summary>
    /// Failures that mean "the store cannot answer now": a Redis error, an unreachable server (reported as a
    /// connection error or a client timeout), or our own <see cref="SenderIntelligenceOptions.StoreTimeout"/>.
    /// </summary>
    private static bool IsStoreFailure(Exception ex) => ex is RedisException or TimeoutException;

    private static string Truncate(string? text) =>
        text is null ? "" : text.Length <= MaxLoggedAddressLength ? text : text[..MaxLoggedAddressLength] + "...";
}
