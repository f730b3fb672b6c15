using Gateway.ClusterCommon.Health;
using Gateway.ClusterCommon.Hosting;
using Gateway.Common.Security;
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
        var keys = TierClientOptions.SectionPrefix + tier + ":";
        services.AddOptions<TierClientOptions>(tier)
            .Bind(configuration.GetSection(TierClientOptions.SectionPrefix + tier))
            .PostConfigure(o => ApplySharedCredentials(o, configuration))
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.Address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                $"{keys}Address must be an http:// or https:// URL.")
            .Validate(o => o.Deadline > TimeSpan.Zero, $"{keys}Deadline must be positive.")
            .Validate(o => BearerToken.Problem(o.GrpcToken, o.GrpcTokenFile, "Grpc") is null,
                $"{keys}GrpcToken/GrpcTokenFile (or the Gateway:Cluster or Gateway:Service ones it falls back to) "
                    + "must be one of the two, and a readable token of at least "
                    + $"{BearerToken.MinLength} printable characters.")
            .Validate(o => string.IsNullOrEmpty(o.CertificateFile) == string.IsNullOrEmpty(o.KeyFile),
                $"{keys}CertificateFile and KeyFile (or Gateway:Cluster:Tls:*) go together.")
            .Validate(o => new[] { o.CertificateFile, o.KeyFile, o.CaFile }
                    .All(f => string.IsNullOrEmpty(f) || File.Exists(f)),
                $"{keys}CertificateFile, KeyFile and CaFile (or Gateway:Cluster:Tls:*) must name existing files.")
            .Validate(o => string.IsNullOrEmpty(o.CertificateFile) || o.Address.StartsWith("https:",
                    StringComparison.OrdinalIgnoreCase),
                $"{keys}Address must be https:// when a client certificate is configured.")
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

    /// <summary>Credentials not set for the tier come from the cluster-wide keys, and the token finally from the
    /// service's own: every service of a cluster usually shares one token.</summary>
    private static void ApplySharedCredentials(TierClientOptions options, IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(options.GrpcToken) && string.IsNullOrEmpty(options.GrpcTokenFile))
        {
            foreach (var section in new[] { "Gateway:Cluster", ServiceHostOptions.SectionName })
            {
                options.GrpcToken = configuration[section + ":GrpcToken"];
                options.GrpcTokenFile = configuration[section + ":GrpcTokenFile"];
                if (!string.IsNullOrEmpty(options.GrpcToken) || !string.IsNullOrEmpty(options.GrpcTokenFile))
                {
                    break;
                }
            }
        }

        if (string.IsNullOrEmpty(options.CertificateFile) && string.IsNullOrEmpty(options.KeyFile))
        {
            options.CertificateFile = configuration["Gateway:Cluster:Tls:CertificateFile"];
            options.KeyFile = configuration["Gateway:Cluster:Tls:KeyFile"];
        }

        if (string.IsNullOrEmpty(options.CaFile))
        {
            options.CaFile = configuration["Gateway:Cluster:Tls:CaFile"];
        }
    }
}
