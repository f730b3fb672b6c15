using System.Collections.Concurrent;
using Gateway.Contracts;
using Gateway.V1;

namespace Gateway.MtaEdge.Tests.Delivery.Support;

/// <summary>A retro-remediation double that keeps every recorded delivery; can be told to fail.</summary>
public sealed class RecordingRetroRemediation : IRetroRemediation
{
    public ConcurrentQueue<DeliveryRecord> Records { get; } = new();

    public bool Fail { get; set; }

    public Task RecordDeliveryAsync(DeliveryRecord record, CancellationToken cancellationToken)
    {
        Records.Enqueue(record.Clone());
        return Fail ? Task.FromException(new InvalidOperationException("remediation is down")) : Task.CompletedTask;
    }

    public Task<RemediationSummary> HandleFingerprintEventAsync(
        FingerprintEvent fingerprintEvent, CancellationToken cancellationToken) =>
        throw new NotSupportedException("not used by delivery");

    public Task<FindDeliveriesReply> FindDeliveriesAsync(
        FindDeliveriesRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("not used by delivery");
}
