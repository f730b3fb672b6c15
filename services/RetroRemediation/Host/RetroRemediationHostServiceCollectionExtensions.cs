using Gateway.ClusterCommon.Hosting;
using Gateway.ClusterCommon.Kafka;
using Gateway.Common;
using Gateway.RetroRemediation.Host.Events;
using Gateway.RetroRemediation.Host.Reputation;
using Gateway.RetroRemediation.Reputation;

namespace Gateway.RetroRemediation.Host;

public static class RetroRemediationHostServiceCollectionExtensions
{
    /// <summary>
    /// The tier as a service: shared options and Redis, the in-process tier, a consumer of delivery records and
    /// one of fingerprint events (which publishes what it did on the remediation actions topic, and the messages a
    /// conviction caught on the reputation topic, for sender intelligence). Ready once
    /// Redis and Kafka answer.
    /// </summary>
    public static IServiceCollection AddRetroRemediationService(
        this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayCommon(configuration);
        services.AddRedisReadiness();
        services.AddRetroRemediation(configuration);

        services.AddKafka(configuration, "gateway-retro-remediation");
        services.AddKafkaTopic(t => t.Delivered);
        services.AddKafkaTopic(t => t.FingerprintEvents);
        services.AddKafkaTopic(t => t.RemediationActions);
        services.AddKafkaTopic(t => t.ReputationOutcomes);
        services.AddSingleton<IConvictionFeedback, KafkaConvictionFeedback>();
        services.AddSingleton<FingerprintEventLedger>();
        services.AddHostedService<DeliveryRecordConsumer>();
        services.AddHostedService<FingerprintEventConsumer>();
        return services;
    }
}
