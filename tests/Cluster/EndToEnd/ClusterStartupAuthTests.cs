using Gateway.Cluster.Tests.Support;
using Gateway.Testing;
using Xunit.Abstractions;

namespace Gateway.Cluster.Tests.EndToEnd;

/// <summary>The real edge process refuses to start where its admin API could be reached without a token.</summary>
public sealed class ClusterStartupAuthTests(ITestOutputHelper output)
{
    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.LmtpVariable, TestEnvironment.ImapVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task Edge_GrpcListenerOffLoopbackWithoutAdminToken_RefusesToStartNamingTheKey()
    {
        // The gRPC listener has its token (every test cluster service does), but the admin routes answer on
        // it too. 192.0.2.1 (TEST-NET-1) is no address of this machine, so nothing ever listens off loopback.
        var settings = new Dictionary<string, string>
        {
            ["Gateway__Service__GrpcListen"] = $"192.0.2.1:{FreePort.Next()}",
        };

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(
            () => TestCluster.StartEdgesOnlyAsync(output, settings));

        Assert.Contains("exited", failure.Message);
        Assert.Contains("Gateway:Admin:Token (or TokenFile) is required", failure.Message);
    }
}
