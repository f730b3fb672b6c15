using Gateway.Contracts;
using Gateway.V1;
using Grpc.Core;

namespace Gateway.RetroRemediation.Grpc;

/// <summary>
/// The <c>gateway.v1.RetroRemediation</c> gRPC service over <see cref="IRetroRemediation"/>, for
/// deployments that run this tier in its own process. Malformed requests answer INVALID_ARGUMENT.
/// </summary>
public sealed class RetroRemediationGrpcService : V1.RetroRemediation.RetroRemediationBase
{
    private readonly IRetroRemediation _remediation;

    public RetroRemediationGrpcService(IRetroRemediation remediation)
    {
        _remediation = remediation;
    }

    public override async Task<RecordDeliveryReply> RecordDelivery(DeliveryRecord request, ServerCallContext context)
    {
        await Guard(() => _remediation.RecordDeliveryAsync(request, context.CancellationToken));
        return new RecordDeliveryReply();
    }

    public override Task<RemediationSummary> HandleFingerprintEvent(
        FingerprintEvent request, ServerCallContext context) =>
        Guard(() => _remediation.HandleFingerprintEventAsync(request, context.CancellationToken));

    public override Task<FindDeliveriesReply> FindDeliveries(
        FindDeliveriesRequest request, ServerCallContext context) =>
        Guard(() => _remediation.FindDeliveriesAsync(request, context.CancellationToken));

    private static async Task Guard(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
    }

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
