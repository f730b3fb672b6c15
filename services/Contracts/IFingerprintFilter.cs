using Gateway.V1;

namespace Gateway.Contracts;

/// <summary>In-process form of the <c>gateway.v1.FingerprintFilter</c> gRPC service.</summary>
public interface IFingerprintFilter
{
    /// <summary>Computes a message's fingerprints and looks them up in the known-spam store.</summary>
    Task<ScanResult> ScanAsync(ScanRequest request, CancellationToken cancellationToken);

    /// <summary>Learns a message as spam (conviction) or ham (reversal) and publishes the event.</summary>
    Task<ReportResult> ReportAsync(ReportRequest request, CancellationToken cancellationToken);

    /// <summary>Computes a message's fingerprints without any lookup.</summary>
    Task<FingerprintResult> FingerprintAsync(FingerprintRequest request, CancellationToken cancellationToken);
}
