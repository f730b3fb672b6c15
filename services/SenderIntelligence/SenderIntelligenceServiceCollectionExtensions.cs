using Gateway.Common.Redis;
using Gateway.Contracts;
using Gateway.SenderIntelligence.Admin;
using Gateway.SenderIntelligence.Checks;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Dnsbl;
using Gateway.SenderIntelligence.Feeds;
using Gateway.SenderIntelligence.Global;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Postfix;
using Gateway.SenderIntelligence.Store;
using Gateway.SenderIntelligence.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence;

public static class SenderIntelligenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the sender intelligence tier as the in-process <see cref="ISenderIntelligence"/>: options from
    /// <c>Gateway:Sender</c> (validated at start), the policy file and its watcher, the shared store in Redis (so
    /// limits and reputation hold across every edge), DNS lists and feeds with their refreshers, administrator
    /// decisions, the Postfix policy listener (when enabled), metrics and logging. Uses the
    /// <see cref="IRedisConnection"/> already registered, or registers the shared <see cref="RedisConnection"/> from
    /// <c>Gateway:Redis</c>.
    /// </summary>
    public static IServiceCollection AddSenderIntelligence(
        this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SenderIntelligenceOptions>()
            .Bind(configuration.GetSection(SenderIntelligenceOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor
            .Singleton<IValidateOptions<SenderIntelligenceOptions>, SenderIntelligenceOptionsValidator>());

        if (!services.Any(d => d.ServiceType == typeof(IRedisConnection)))
        {
            services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName));
            services.AddSingleton<IRedisConnection, RedisConnection>();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SenderMetrics>();
        services.TryAddSingleton<ISenderStore, RedisSenderStore>();
        services.TryAddSingleton<PolicyProvider>();
        services.TryAddSingleton<OverrideRegistry>();
        services.TryAddSingleton<IDnsQuery, DnsClientQuery>();
        services.TryAddSingleton<DnsblChecker>();
        services.TryAddSingleton<FeedCatalog>();
        services.TryAddSingleton<FeedLoader>();
        services.TryAddSingleton<GlobalListing>();
        services.TryAddSingleton<SenderCheckContext>();
        services.TryAddSingleton<SenderIntelligenceService>();
        services.TryAddSingleton<ISenderIntelligence>(
            provider => provider.GetRequiredService<SenderIntelligenceService>());
        services.TryAddSingleton<PostfixSessions>();
        services.TryAddSingleton<PostfixPolicyHandler>();

        // Background work, in start order: administrator decisions and feeds are loaded, and the DNS zones
        // self-checked, before the gateway serves.
        services.AddHostedService<PolicyFileWatcher>();
        services.AddHostedService<OverrideRefresher>();
        services.AddHostedService<FeedRefresher>();
        services.AddHostedService<DnsblSelfCheckService>();
        services.TryAddSingleton<PostfixPolicyServer>();
        services.AddHostedService(provider => provider.GetRequiredService<PostfixPolicyServer>());
        return services;
    }
}
