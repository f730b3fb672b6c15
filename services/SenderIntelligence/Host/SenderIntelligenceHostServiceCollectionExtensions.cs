using Gateway.ClusterCommon.Hosting;
using Gateway.ClusterCommon.Kafka;
using Gateway.Common;
using Gateway.SenderIntelligence.Host.Reputation;

namespace Gateway.SenderIntelligence.Host;

public static class SenderIntelligenceHostServiceCollectionExtensions
{
    /// <summary>
    /// The tier as a service: shared options and Redis, the in-process tier, and the consumer that turns the
    /// edges' reputation outcomes into per-client counters in Redis. Ready once Redis and Kafka answer.
    /// </summary>
    public static IServiceCollection AddSenderIntelligenceService(
        this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayCommon(configuration);
        services.AddRedisReadiness();
        services.AddSenderIntelligence(configuration);

        services.AddKafka(configuration, "gateway-sender-intelligence");
        services.AddKafkaTopic(t => t.ReputationOutcomes);
        services.AddOptions<ReputationOptions>()
            .Bind(configuration.GetSection(ReputationOptions.SectionName))
            .Validate(o => o.Window > TimeSpan.Zero, "Gateway:Reputation:Window must be positive.")
            .ValidateOnStart();
        services.AddSingleton<ReputationCounters>();
        services.AddHostedService<ReputationOutcomeConsumer>();
        return services;
    }
}
