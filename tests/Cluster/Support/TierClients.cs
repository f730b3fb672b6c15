using Gateway.ClusterCommon.Grpc;
using Gateway.ClusterCommon.Grpc.Clients;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Cluster.Tests.Support;

/// <summary>gRPC clients of a test cluster's tiers, through the same adapters the services use.</summary>
public sealed class TierClients : IDisposable
{
    private readonly TierChannel _filterChannel;
    private readonly TierChannel _remediationChannel;

    public TierClients(TestCluster cluster)
    {
        _filterChannel = new TierChannel("FingerprintFilter", new TierClientOptions
        {
            Address = $"http://127.0.0.1:{cluster.FingerprintFilterGrpcPort}",
            Deadline = TimeSpan.FromSeconds(30),
            GrpcTokenFile = cluster.GrpcTokenFile,
        }, NullLoggerFactory.Instance);
        _remediationChannel = new TierChannel("RetroRemediation", new TierClientOptions
        {
            Address = $"http://127.0.0.1:{cluster.RetroRemediationGrpcPort}",
            Deadline = TimeSpan.FromSeconds(30),
            GrpcTokenFile = cluster.GrpcTokenFile,
        }, NullLoggerFactory.Instance);
        Filter = new FingerprintFilterClient(_filterChannel);
        Remediation = new RetroRemediationClient(_remediationChannel);
    }

    public FingerprintFilterClient Filter { get; }

    public RetroRemediationClient Remediation { get; }

    public void Dispose()
    {
        _filterChannel.Dispose();
        _remediationChannel.Dispose();
    }
}
