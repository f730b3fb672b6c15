using Gateway.ClusterCommon.Grpc;
using Gateway.Contracts;
using Gateway.V1;
using Grpc.Core;

namespace Gateway.FingerprintFilter.Host.Grpc;

/// <summary>The <c>gateway.v1.FingerprintFilter</c> gRPC service over <see cref="IFingerprintFilter"/>.</summary>
public sealed class FingerprintFilterGrpcService(IFingerprintFilter filter) : V1.FingerprintFilter.FingerprintFilterBase
{
    public override Task<ScanResult> Scan(ScanRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => filter.ScanAsync(request, context.CancellationToken));

    public override Task<ReportResult> Report(ReportRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => filter.ReportAsync(request, context.CancellationToken));

    public override Task<FingerprintResult> Fingerprint(FingerprintRequest request, ServerCallContext context) =>
        GrpcGuard.Run(() => filter.FingerprintAsync(request, context.CancellationToken));
}
