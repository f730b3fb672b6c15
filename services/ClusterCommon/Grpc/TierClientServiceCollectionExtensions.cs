using Gateway.ClusterCommon.Health;
using Gateway.ClusterCommon.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.ClusterCommon.Grpc;

public static class TierClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TService"/> as a gRPC client of <paramref name="tier"/>, configured from
    /// <c>Gateway:Cluster:&lt;tier&gt;</c> (validated at start), and makes readiness wait for that tier
    /// (unless it fails open, or <paramref name="requiredForReadiness"/> is false).
    /// </summary>
    public static IServiceCollection AddTierClient<TService>(
        this IServiceCollection services,
        IConfiguration configuration,
        string tier,
        Func<TierChannel, TService> create,
        bool requiredForReadiness = true)
        where TService : class
    {
        services.AddOptions<TierClientOptions>(tier)
            .Bind(configuration.GetSection(TierClientOptions.SectionPrefix + tier))
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.Address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                $"{TierClientOptions.SectionPrefix}{tier}:Address must be an http:// or https:// URL.")
            .Validate(o => o.Deadline > TimeSpan.Zero,
                $"{TierClientOptions.SectionPrefix}{tier}:Deadline must be positive.")
            .ValidateOnStart();
        services.AddKeyedSingleton(tier, (sp, _) => new TierChannel(
            tier, sp.GetRequiredService<IOptionsMonitor<TierClientOptions>>().Get(tier),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => create(sp.GetRequiredKeyedService<TierChannel>(tier)));
        if (!requiredForReadiness)
        {
            return services;
        }

        services.AddHealthChecks().Add(new HealthCheckRegistration(
            "tier:" + tier,
            sp => new TierHealthCheck(sp.GetRequiredKeyedService<TierChannel>(tier)),
            HealthStatus.Unhealthy,
            [ClusterServiceDefaults.ReadyTag]));
        return services;
    }
}
