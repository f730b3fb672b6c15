using Gateway.ClusterCommon.Hosting;
using Gateway.ClusterCommon.Kafka;
using Gateway.Common;
using Gateway.Contracts;
using Gateway.FingerprintFilter.Host.Events;

namespace Gateway.FingerprintFilter.Host;

public static class FingerprintFilterHostServiceCollectionExtensions
{
    /// <summary>
    /// The tier as a service: shared options and Redis, the in-process filter, and a Kafka publisher for its
    /// convictions and reversals. Ready once Redis and Kafka answer.
    /// </summary>
    public static IServiceCollection AddFingerprintFilterService(
        this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayCommon(configuration);
        services.AddRedisReadiness();
        services.AddKafka(configuration, "gateway-fingerprint-filter");
        services.AddKafkaTopic(t => t.FingerprintEvents);
        services.AddSingleton<IFingerprintEventPublisher, KafkaFingerprintEventPublisher>();
        services.AddFingerprintFilter(configuration);
        return services;
    }
}
