using Gateway.Contracts;
using Gateway.SenderIntelligence.Admin;
using Gateway.SenderIntelligence.Checks;
using Gateway.SenderIntelligence.Decisions;
using Gateway.SenderIntelligence.Networks;
using Gateway.SenderIntelligence.Subjects;
using Gateway.V1;

namespace Gateway.SenderIntelligence;

/// <summary>
/// The sender intelligence tier as the edge and the admin API see it: one method per RPC of
/// <c>gateway.v1.SenderIntelligence</c>, each handing over to the check of its stage and counting the decision.
/// </summary>
public sealed class SenderIntelligenceService : ISenderIntelligence
{
    private readonly SenderCheckContext _context;
    private readonly ConnectCheck _connect;
    private readonly MailCheck _mail;
    private readonly RcptCheck _rcpt;
    private readonly EndOfDataCheck _endOfData;
    private readonly CloseCheck _close;
    private readonly OutcomeRecorder _outcomes;
    private readonly SenderAdministration _admin;

    public SenderIntelligenceService(SenderCheckContext context)
    {
        _context = context;
        _outcomes = new OutcomeRecorder(context);
        _connect = new ConnectCheck(context);
        _mail = new MailCheck(context);
        _rcpt = new RcptCheck(context, _outcomes);
        _endOfData = new EndOfDataCheck(context, _outcomes);
        _close = new CloseCheck(context, _outcomes);
        _admin = new SenderAdministration(context);
    }

    public SenderCheckContext Context => _context;

    public async Task<ConnectDecision> CheckConnectAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        var decision = await _connect.CheckAsync(request, cancellationToken).ConfigureAwait(false);
        _context.Metrics.RecordDecision("connect", decision.Verdict, decision.Tier);
        return decision;
    }

    /// <summary>
    /// The connect check without a concurrency lease, for integrations that are never told when a session ends
    /// (the Postfix policy listener).
    /// </summary>
    public async Task<ConnectDecision> CheckConnectWithoutLeaseAsync(
        ConnectRequest request, CancellationToken cancellationToken)
    {
        var decision = await _connect.CheckAsync(request, cancellationToken, takeLease: false).ConfigureAwait(false);
        _context.Metrics.RecordDecision("connect", decision.Verdict, decision.Tier);
        return decision;
    }

    public Task ReleaseConnectionAsync(ReleaseConnectionRequest request, CancellationToken cancellationToken) =>
        _close.ReleaseAsync(request, cancellationToken);

    public async Task<MailDecision> CheckMailAsync(MailRequest request, CancellationToken cancellationToken)
    {
        var decision = await _mail.CheckAsync(request, cancellationToken).ConfigureAwait(false);
        _context.Metrics.RecordDecision("mail", decision.Verdict, decision.Tier);
        return decision;
    }

    public async Task<RcptDecision> CheckRcptAsync(RcptRequest request, CancellationToken cancellationToken)
    {
        var decision = await _rcpt.CheckAsync(request, cancellationToken).ConfigureAwait(false);
        _context.Metrics.RecordDecision("rcpt", decision.Verdict, SenderTier.Unspecified);
        return decision;
    }

    public async Task<EndOfDataDecision> CheckEndOfDataAsync(
        EndOfDataRequest request, CancellationToken cancellationToken)
    {
        var decision = await _endOfData.CheckAsync(request, cancellationToken).ConfigureAwait(false);
        _context.Metrics.RecordDecision("data", decision.Verdict, decision.Tier);
        return decision;
    }

    public async Task<CloseSessionReply> CloseSessionAsync(CloseSessionRequest request,
        CancellationToken cancellationToken)
    {
        await _close.CloseAsync(request, cancellationToken).ConfigureAwait(false);
        return new CloseSessionReply();
    }

    public async Task<OutcomeReply> RecordOutcomeAsync(OutcomeReport request, CancellationToken cancellationToken)
    {
        if (!IpAddressParser.TryParseClient(request.ClientIp, out var client)
            || request.Kind == OutcomeKind.Unspecified)
        {
            return new OutcomeReply();
        }

        var domain = DomainNames.TryNormalize(request.SenderDomain, out var normalized) ? normalized : null;
        var reputation = await _outcomes.RecordAsync(
            client, domain, request.Kind, Math.Max(1, request.Count), _context.Time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        return new OutcomeReply { Reputation = reputation };
    }

    public Task<SenderProfile> GetProfileAsync(SenderProfileRequest request, CancellationToken cancellationToken) =>
        _admin.ShowAsync(request, cancellationToken);

    public Task<SenderProfile> ApproveSenderAsync(ApproveSenderRequest request, CancellationToken cancellationToken) =>
        _admin.ApproveAsync(request, cancellationToken);

    public Task<SenderProfile> BlockSenderAsync(BlockSenderRequest request, CancellationToken cancellationToken) =>
        _admin.BlockAsync(request, cancellationToken);

    public Task<SenderProfile> ResetSenderAsync(ResetSenderRequest request, CancellationToken cancellationToken) =>
        _admin.ResetAsync(request, cancellationToken);
}
