using Gateway.Contracts;
using Gateway.V1;
using Grpc.Core;

namespace Gateway.RetroRemediation.Grpc;

/// <summary>
/// The <c>gateway.v1.RetroRemediation</c> gRPC service over <see cref="IRetroRemediation"/> and
/// <see cref="IRemediationQueries"/>, for deployments that run this tier in its own process. Malformed
/// requests answer INVALID_ARGUMENT.
/// </summary>
public sealed class RetroRemediationGrpcService : V1.RetroRemediation.RetroRemediationBase
{
    private readonly IRetroRemediation _remediation;
    private readonly IRemediationQueries _queries;

    public RetroRemediationGrpcService(IRetroRemediation remediation, IRemediationQueries queries)
    {
        _remediation = remediation;
        _queries = queries;
    }

    public override async Task<RecordDeliveryReply> RecordDelivery(DeliveryRecord request, ServerCallContext context)
    {
        await Guard(async () =>
        {
            await _remediation.RecordDeliveryAsync(request, context.CancellationToken);
            return 0;
        });
        return new RecordDeliveryReply();
    }

    public override Task<RemediationSummary> HandleFingerprintEvent(
        FingerprintEvent request, ServerCallContext context) =>
        Guard(() => _remediation.HandleFingerprintEventAsync(request, context.CancellationToken));

    public override Task<FindDeliveriesReply> FindDeliveries(
        FindDeliveriesRequest request, ServerCallContext context) =>
        Guard(() => _remediation.FindDeliveriesAsync(request, context.CancellationToken));

    public override Task<ListActionsReply> ListActions(ListActionsRequest request, ServerCallContext context) =>
        Guard(() => _queries.ListActionsAsync(request, context.CancellationToken));

    public override Task<ShowCopyReply> ShowCopy(ShowCopyRequest request, ServerCallContext context) =>
        Guard(() => _queries.ShowCopyAsync(request, context.CancellationToken));

    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
    }
}
