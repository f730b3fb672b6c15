using Gateway.Contracts;
using Gateway.V1;

namespace Gateway.ClusterCommon.Grpc.Clients;

/// <summary><see cref="IRetroRemediation"/> over gRPC (admin lookups; delivery records travel over Kafka).</summary>
public sealed class RetroRemediationClient(TierChannel channel) : IRetroRemediation
{
    private readonly V1.RetroRemediation.RetroRemediationClient _client = new(channel.Channel);

    public Task RecordDeliveryAsync(DeliveryRecord record, CancellationToken cancellationToken) =>
        channel.CallAsync("RecordDelivery", o => _client.RecordDeliveryAsync(record, o), null, cancellationToken);

    public Task<RemediationSummary> HandleFingerprintEventAsync(
        FingerprintEvent fingerprintEvent, CancellationToken cancellationToken) =>
        channel.CallAsync("HandleFingerprintEvent", o => _client.HandleFingerprintEventAsync(fingerprintEvent, o),
            null, cancellationToken);

    public Task<FindDeliveriesReply> FindDeliveriesAsync(FindDeliveriesRequest request,
        CancellationToken cancellationToken) =>
        channel.CallAsync("FindDeliveries", o => _client.FindDeliveriesAsync(request, o), null, cancellationToken);
}
