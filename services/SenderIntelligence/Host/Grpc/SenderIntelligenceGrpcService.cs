using Gateway.ClusterCommon.Grpc;
using Gateway.Contracts;
using Gateway.V1;
using Grpc.Core;

namespace Gateway.SenderIntelligence.Host.Grpc;

/// <summary>The <c>gateway.v1.SenderIntelligence</c> gRPC service over <see cref="ISenderIntelligence"/>.</summary>
public sealed class SenderIntelligenceGrpcService(ISenderIntelligence tier) : V1.SenderIntelligence.SenderIntelligenceBase
{
    public override Task<ConnectDecision> CheckConnect(ConnectRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => tier.CheckConnectAsync(request, context.CancellationToken));

    public override async Task<ReleaseConnectionReply> ReleaseConnection(
        ReleaseConnectionRequest request, ServerCallContext context)
    {
        await GrpcGuard.Run(() => tier.ReleaseConnectionAsync(request, context.CancellationToken));
        return new ReleaseConnectionReply();
    }
}
