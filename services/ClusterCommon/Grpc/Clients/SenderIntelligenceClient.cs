using Gateway.Contracts;
using Gateway.V1;

namespace Gateway.ClusterCommon.Grpc.Clients;

/// <summary><see cref="ISenderIntelligence"/> over gRPC, for the edge in cluster mode.</summary>
public sealed class SenderIntelligenceClient(TierChannel channel) : ISenderIntelligence
{
    private readonly V1.SenderIntelligence.SenderIntelligenceClient _client = new(channel.Channel);

    public Task<ConnectDecision> CheckConnectAsync(ConnectRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("CheckConnect", o => _client.CheckConnectAsync(request, o),
            FailOpenDecision, cancellationToken);

    public Task ReleaseConnectionAsync(ReleaseConnectionRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("ReleaseConnection", o => _client.ReleaseConnectionAsync(request, o),
            static () => new ReleaseConnectionReply(), cancellationToken);

    /// <summary>Admit without a lease: nothing to release, and no per-address limit while the tier is away.</summary>
    private static ConnectDecision FailOpenDecision() =>
        new() { Verdict = new Verdict { Action = V1.Action.Accept, Reason = "fail-open" } };
}
