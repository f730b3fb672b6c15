using Gateway.ClusterCommon.Health;
using Gateway.ClusterCommon.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.ClusterCommon.Kafka;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>
    /// Kafka for a cluster service: <see cref="KafkaOptions"/> from <c>Gateway:Kafka</c> (validated at start),
    /// the client factory, topic names, one durable producer (sized by the registered
    /// <see cref="KafkaRecordLimit"/>, events-sized unless the service registers its own), and the topic
    /// provisioning that readiness waits for.
    /// </summary>
    public static IServiceCollection AddKafka(this IServiceCollection services, IConfiguration configuration,
        string clientId)
    {
        services.AddOptions<KafkaOptions>()
            .Bind(configuration.GetSection(KafkaOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KafkaClientFactory>();
        services.TryAddSingleton<KafkaTopics>();
        services.TryAddSingleton(KafkaRecordLimit.Events);
        services.TryAddSingleton(sp => new KafkaEventProducer(
            sp.GetRequiredService<KafkaClientFactory>(), sp.GetRequiredService<KafkaRecordLimit>(), clientId));
        services.TryAddSingleton<KafkaTopicProvisioner>();
        services.AddHostedService<KafkaTopicStartup>();
        services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka", tags: [ClusterServiceDefaults.ReadyTag]);
        return services;
    }

    /// <summary>Declares a topic the service uses, with events-sized records unless <paramref name="maxValueBytes"/>
    /// says more.</summary>
    public static IServiceCollection AddKafkaTopic(
        this IServiceCollection services,
        Func<KafkaTopics, string> topic,
        Func<IServiceProvider, int>? maxValueBytes = null) =>
        services.AddKafkaTopics(sp =>
        [
            new KafkaTopicRequirement(
                topic(sp.GetRequiredService<KafkaTopics>()),
                maxValueBytes?.Invoke(sp) ?? KafkaRecordLimit.Events.ValueBytes),
        ]);

    /// <summary>Declares several topics at once, e.g. a list computed from the service's options.</summary>
    public static IServiceCollection AddKafkaTopics(
        this IServiceCollection services, Func<IServiceProvider, IEnumerable<KafkaTopicRequirement>> topics)
    {
        services.AddSingleton(sp => new KafkaTopicRequirementSet(topics(sp).ToList()));
        return services;
    }
}
