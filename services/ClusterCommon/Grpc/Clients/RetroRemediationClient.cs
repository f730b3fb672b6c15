using Gateway.Contracts;
using Gateway.V1;

namespace Gateway.ClusterCommon.Grpc.Clients;

/// <summary>
/// <see cref="IRetroRemediation"/> and <see cref="IRemediationQueries"/> over gRPC, for the edge's admin API
/// (lookups and audit; delivery records travel over Kafka).
/// </summary>
public sealed class RetroRemediationClient(TierChannel channel) : IRetroRemediation, IRemediationQueries
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

    public Task<ListActionsReply> ListActionsAsync(ListActionsRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("ListActions", o => _client.ListActionsAsync(request, o), null, cancellationToken);

    public Task<ShowCopyReply> ShowCopyAsync(ShowCopyRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("ShowCopy", o => _client.ShowCopyAsync(request, o), null, cancellationToken);
}
