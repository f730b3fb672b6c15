using Gateway.Contracts;
using Gateway.FingerprintFilter.Intake;
using Gateway.FingerprintFilter.Store;
using Gateway.V1;
using Grpc.Core;

namespace Gateway.FingerprintFilter.Grpc;

/// <summary>
/// The <c>gateway.v1.FingerprintFilter</c> gRPC service over <see cref="IFingerprintFilter"/> and
/// <see cref="IReportIntake"/>, for deployments that run this tier in its own process. Malformed
/// requests answer INVALID_ARGUMENT; a store outage during a report or intake answers UNAVAILABLE
/// (retry later); a scan never fails for an outage, its verdict says TEMPFAIL instead.
/// </summary>
public sealed class FingerprintFilterGrpcService : V1.FingerprintFilter.FingerprintFilterBase
{
    private readonly IFingerprintFilter _filter;
    private readonly IReportIntake _intake;

    public FingerprintFilterGrpcService(IFingerprintFilter filter, IReportIntake intake)
    {
        _filter = filter;
        _intake = intake;
    }

    public override Task<ScanResult> Scan(ScanRequest request, ServerCallContext context) =>
        Guard(() => _filter.ScanAsync(request, context.CancellationToken));

    public override Task<ReportResult> Report(ReportRequest request, ServerCallContext context) =>
        Guard(() => _filter.ReportAsync(request, context.CancellationToken));

    public override Task<FingerprintResult> Fingerprint(FingerprintRequest request, ServerCallContext context) =>
        Guard(() => _filter.FingerprintAsync(request, context.CancellationToken));

    public override Task<IntakeResult> Intake(IntakeRequest request, ServerCallContext context) =>
        Guard(() => _intake.IntakeAsync(request, context.CancellationToken));

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
        catch (FingerprintStoreUnavailableException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }
    }
}
