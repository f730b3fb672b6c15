using Gateway.ClusterCommon.Grpc;
using Gateway.ClusterCommon.Grpc.Clients;
using Gateway.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Cluster.Tests.Grpc;

/// <summary>Where a tier client takes its credentials from when its own section names none.</summary>
public sealed class TierClientCredentialsTests
{
    private const string Tier = "SenderIntelligence";

    [Fact]
    public void AddTierClient_NoTokenOfItsOwn_UsesTheClusterThenTheServiceToken()
    {
        var clusterFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(clusterFile, "cluster-token-0123456789\n");
            var serviceOnly = Resolve(new() { ["Gateway:Service:GrpcToken"] = "service-token-0123456789" });
            var cluster = Resolve(new()
            {
                ["Gateway:Service:GrpcToken"] = "service-token-0123456789",
                ["Gateway:Cluster:GrpcTokenFile"] = clusterFile,
            });
            var own = Resolve(new()
            {
                ["Gateway:Cluster:GrpcTokenFile"] = clusterFile,
                [$"Gateway:Cluster:{Tier}:GrpcToken"] = "tier-token-0123456789",
            });

            Assert.Equal(("service-token-0123456789", null), (serviceOnly.GrpcToken, serviceOnly.GrpcTokenFile));
            Assert.Equal((null, clusterFile), (cluster.GrpcToken, cluster.GrpcTokenFile));
            Assert.Equal(("tier-token-0123456789", null), (own.GrpcToken, own.GrpcTokenFile));
        }
        finally
        {
            File.Delete(clusterFile);
        }
    }

    [Fact]
    public void AddTierClient_TokenTooShort_FailsValidationNamingTheKeys()
    {
        var services = Services(new() { [$"Gateway:Cluster:{Tier}:GrpcToken"] = "short" });
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() =>
            provider.GetRequiredService<IOptionsMonitor<TierClientOptions>>().Get(Tier));

        Assert.Contains($"Gateway:Cluster:{Tier}:GrpcToken", failure.Message);
    }

    private static TierClientOptions Resolve(Dictionary<string, string?> settings)
    {
        using var provider = Services(settings).BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<TierClientOptions>>().Get(Tier);
    }

    private static ServiceCollection Services(Dictionary<string, string?> settings)
    {
        settings[$"Gateway:Cluster:{Tier}:Address"] = "http://127.0.0.1:7101";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTierClient<ISenderIntelligence>(configuration, Tier,
            channel => new SenderIntelligenceClient(channel), requiredForReadiness: false);
        return services;
    }
}
