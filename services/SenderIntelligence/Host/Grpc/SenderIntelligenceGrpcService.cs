using Gateway.ClusterCommon.Grpc;
using Gateway.Contracts;
using Gateway.V1;
using Grpc.Core;

namespace Gateway.SenderIntelligence.Host.Grpc;

/// <summary>The <c>gateway.v1.SenderIntelligence</c> gRPC service over <see cref="ISenderIntelligence"/>.</summary>
public sealed class SenderIntelligenceGrpcService(ISenderIntelligence tier)
    : V1.SenderIntelligence.SenderIntelligenceBase
{
    public override Task<ConnectDecision> CheckConnect(ConnectRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => tier.CheckConnectAsync(request, context.CancellationToken));

    public override async Task<ReleaseConnectionReply> ReleaseConnection(
        ReleaseConnectionRequest request, ServerCallContext context)
    {
        await GrpcGuard.Run(() => tier.ReleaseConnectionAsync(request, context.CancellationToken));
        return new ReleaseConnectionReply();
    }

    public override Task<MailDecision> CheckMail(MailRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => tier.CheckMailAsync(request, context.CancellationToken));

    public override Task<RcptDecision> CheckRcpt(RcptRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => tier.CheckRcptAsync(request, context.CancellationToken));

    public override Task<EndOfDataDecision> CheckEndOfData(EndOfDataRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => tier.CheckEndOfDataAsync(request, context.CancellationToken));

    public override Task<CloseSessionReply> CloseSession(CloseSessionRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => tier.CloseSessionAsync(request, context.CancellationToken));

    public override Task<OutcomeReply> RecordOutcome(OutcomeReport request, ServerCallContext context) =>
        GrpcGuard.Run(() => tier.RecordOutcomeAsync(request, context.CancellationToken));

    public override Task<SenderProfile> GetProfile(SenderProfileRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => tier.GetProfileAsync(request, context.CancellationToken));

    public override Task<SenderProfile> ApproveSender(ApproveSenderRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => tier.ApproveSenderAsync(request, context.CancellationToken));

    public override Task<SenderProfile> BlockSender(BlockSenderRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => tier.BlockSenderAsync(request, context.CancellationToken));

    public override Task<SenderProfile> ResetSender(ResetSenderRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => tier.ResetSenderAsync(request, context.CancellationToken));
}
