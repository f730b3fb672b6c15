using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Networks;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Checks;

/// <summary>
/// The end of a session, in one store round trip: its lease is released, its counters forgotten, and its protocol
/// errors counted into the profile and the shared reputation. A failure is only logged: the lease and the session
/// counters expire by themselves after ConnectionLeaseTime.
/// </summary>
public sealed class CloseCheck
{
    private readonly SenderCheckContext _context;
    private readonly OutcomeRecorder _outcomes;

    public CloseCheck(SenderCheckContext context, OutcomeRecorder outcomes)
    {
        _context = context;
        _outcomes = outcomes;
    }

    public async Task CloseAsync(CloseSessionRequest request, CancellationToken cancellationToken)
    {
        if (!IpAddressParser.TryParseClient(request.ClientIp, out var client))
        {
            SenderIntelligenceLog.ReleaseIgnored(_context.Logger, request.SessionId);
            return;
        }

        var leaseId = request.LeaseId is { Length: > 0 and <= ConnectCheck.MaxLeaseIdLength } id ? id : null;
        await _outcomes.RecordAsync(
            client,
            null,
            OutcomeKind.ProtocolError,
            Math.Max(0, request.ProtocolErrors),
            _context.Time.GetUtcNow(),
            cancellationToken,
            leaseId,
            request.SessionId).ConfigureAwait(false);
        if (leaseId is not null)
        {
            SenderIntelligenceLog.LeaseReleased(_context.Logger, request.SessionId, client.ToString(), leaseId);
        }
    }

    /// <summary>The older release call: the lease only.</summary>
    public async Task ReleaseAsync(ReleaseConnectionRequest request, CancellationToken cancellationToken)
    {
        if (!IpAddressParser.TryParseClient(request.ClientIp, out var client)
            || string.IsNullOrEmpty(request.LeaseId) || request.LeaseId.Length > ConnectCheck.MaxLeaseIdLength)
        {
            // Allow-listed and fail-open sessions hold no lease; their release has nothing to do.
            SenderIntelligenceLog.ReleaseIgnored(_context.Logger, request.SessionId);
            return;
        }

        var clientText = client.ToString();
        try
        {
            await _context.WaitAsync(() => _context.Store.ReleaseAsync(client, request.LeaseId), cancellationToken)
                .ConfigureAwait(false);
            SenderIntelligenceLog.LeaseReleased(_context.Logger, request.SessionId, clientText, request.LeaseId);
        }
        catch (Exception ex) when (SenderCheckContext.IsStoreFailure(ex))
        {
            // Not worth failing the session's teardown: the lease expires after ConnectionLeaseTime.
            _context.Metrics.RecordStoreFailure("release");
            SenderIntelligenceLog.ReleaseFailed(_context.Logger, request.SessionId, clientText, request.LeaseId, ex);
        }
    }
}
