using Gateway.ClusterCommon.Telemetry;
using Gateway.Contracts;
using Gateway.V1;

namespace Gateway.ClusterCommon.Grpc.Clients;

/// <summary><see cref="IFingerprintFilter"/> over gRPC, for the edge and admin tools in cluster mode.</summary>
public sealed class FingerprintFilterClient(TierChannel channel) : IFingerprintFilter
{
    private readonly V1.FingerprintFilter.FingerprintFilterClient _client = new(channel.Channel);

    /// <summary>Fails open to "accept, no fingerprints": the message is delivered but cannot be remediated
    /// later.</summary>
    public async Task<ScanResult> ScanAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        using var trace = MessageTrace.Begin(request.QueueId);
        return await channel.CallAsync("Scan", o => _client.ScanAsync(request, o),
            static () => new ScanResult { Verdict = new Verdict { Action = V1.Action.Accept, Reason = "fail-open" } },
            cancellationToken);
    }

    public Task<ReportResult> ReportAsync(ReportRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("Report", o => _client.ReportAsync(request, o), null, cancellationToken);

    public Task<FingerprintResult> FingerprintAsync(FingerprintRequest request, CancellationToken cancellationToken) =>
        channel.CallAsync("Fingerprint", o => _client.FingerprintAsync(request, o), null, cancellationToken);
}
