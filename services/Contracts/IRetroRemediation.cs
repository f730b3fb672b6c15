using Gateway.V1;

namespace Gateway.Contracts;

/// <summary>In-process form of the <c>gateway.v1.RetroRemediation</c> gRPC service.</summary>
public interface IRetroRemediation
{
    /// <summary>Remembers one delivered copy for the remediation window.</summary>
    Task RecordDeliveryAsync(DeliveryRecord record, CancellationToken cancellationToken);

    /// <summary>Moves (conviction) or restores (reversal) every remembered copy the event names.</summary>
    Task<RemediationSummary> HandleFingerprintEventAsync(FingerprintEvent fingerprintEvent, CancellationToken cancellationToken);

    /// <summary>Lists remembered copies that carry any of the fingerprints.</summary>
    Task<FindDeliveriesReply> FindDeliveriesAsync(FindDeliveriesRequest request, CancellationToken cancellationToken);
}
