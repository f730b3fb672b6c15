using Gateway.Contracts;
using Gateway.V1;

namespace Gateway.ClusterCommon.Grpc.Clients;

/// <summary>
/// <see cref="ISenderIntelligence"/> over gRPC, for the edge in cluster mode. The checks of the SMTP dialogue
/// fail open (when the tier is so configured) to "accept"; reports and the admin calls never do.
/// </summary>
public sealed class SenderIntelligenceClient(TierChannel channel) : ISenderIntelligence
{
    private static readonly Verdict Accept = new() { Action = V1.Action.Accept, Reason = "fail-open" };

    private readonly V1.SenderIntelligence.SenderIntelligenceClient _client = new(channel.Channel);

    /// <summary>Fails open to admit without a lease: nothing to release, no per-address limit while the tier is
    /// away.</summary>
    public Task<ConnectDecision> CheckConnectAsync(ConnectRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("CheckConnect", o => _client.CheckConnectAsync(request, o),
            static () => new ConnectDecision { Verdict = Accept.Clone() }, cancellationToken);

    public Task ReleaseConnectionAsync(ReleaseConnectionRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("ReleaseConnection", o => _client.ReleaseConnectionAsync(request, o),
            static () => new ReleaseConnectionReply(), cancellationToken);

    public Task<MailDecision> CheckMailAsync(MailRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("CheckMail", o => _client.CheckMailAsync(request, o),
            static () => new MailDecision { Verdict = Accept.Clone() }, cancellationToken);

    public Task<RcptDecision> CheckRcptAsync(RcptRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("CheckRcpt", o => _client.CheckRcptAsync(request, o),
            static () => new RcptDecision { Verdict = Accept.Clone() }, cancellationToken);

    public Task<EndOfDataDecision> CheckEndOfDataAsync(EndOfDataRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("CheckEndOfData", o => _client.CheckEndOfDataAsync(request, o),
            static () => new EndOfDataDecision { Verdict = Accept.Clone() }, cancellationToken);

    public Task<CloseSessionReply> CloseSessionAsync(CloseSessionRequest request,
        CancellationToken cancellationToken) =>
        channel.CallAsync("CloseSession", o => _client.CloseSessionAsync(request, o),
            static () => new CloseSessionReply(), cancellationToken);

    public Task<OutcomeReply> RecordOutcomeAsync(OutcomeReport request, CancellationToken cancellationToken) =>
        channel.CallAsync("RecordOutcome", o => _client.RecordOutcomeAsync(request, o), null, cancellationToken);

    public Task<SenderProfile> GetProfileAsync(SenderProfileRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("GetProfile", o => _client.GetProfileAsync(request, o), null, cancellationToken);

    public Task<SenderProfile> ApproveSenderAsync(ApproveSenderRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("ApproveSender", o => _client.ApproveSenderAsync(request, o), null, cancellationToken);

    public Task<SenderProfile> BlockSenderAsync(BlockSenderRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("BlockSender", o => _client.BlockSenderAsync(request, o), null, cancellationToken);

    public Task<SenderProfile> ResetSenderAsync(ResetSenderRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("ResetSender", o => _client.ResetSenderAsync(request, o), null, cancellationToken);
}
