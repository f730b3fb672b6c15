using Gateway.Common.Redis;
using Gateway.Contracts;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Leases;
using Gateway.SenderIntelligence.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence;

public static class SenderIntelligenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the sender intelligence tier as the in-process <see cref="ISenderIntelligence"/>: options from
    /// <c>Gateway:Sender</c> (validated at start), connection leases in the shared Redis (so the per-address
    /// limit holds across every edge), metrics and logging. Uses the <see cref="IRedisConnection"/> already
    /// registered, or registers the shared <see cref="RedisConnection"/> from <c>Gateway:Redis</c>.
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
        services.TryAddSingleton<IConnectionLeaseStore, RedisConnectionLeaseStore>();
        services.TryAddSingleton<SenderIntelligenceService>();
        services.TryAddSingleton<ISenderIntelligence>(
            provider => provider.GetRequiredService<SenderIntelligenceService>());
        return services;
    }
}
