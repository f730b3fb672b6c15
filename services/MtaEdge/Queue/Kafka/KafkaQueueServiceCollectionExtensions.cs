using Gateway.ClusterCommon.Kafka;
using Gateway.Common.Configuration;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Delivery.Dsn;
using Gateway.MtaEdge.Smtp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Queue.Kafka;

public static class KafkaQueueServiceCollectionExtensions
{
    /// <summary>Envelope, trace headers and fingerprints around the largest message, with room to spare.</summary>
    private const int EnvelopeBytes = 256 * 1024;

    /// <summary>
    /// The edge's queue and delivery in cluster mode: <see cref="KafkaMessageSpool"/> as the
    /// <see cref="IMessageSpool"/>, the delivery consumer with its ledger and delay topics, and the Kafka
    /// record limit sized from <c>Gateway:Smtp:MaxMessageBytes</c>. Expects AddKafka and the shared Redis
    /// connection to be registered by the host. Uses the same <c>Gateway:Delivery</c> settings as standalone.
    /// </summary>
    public static IServiceCollection AddKafkaQueueAndDelivery(this IServiceCollection services,
        IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>()
            .Bind(configuration.GetSection(DeliveryOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>());
        services.AddOptions<KafkaDeliveryOptions>()
            .Bind(configuration.GetSection(KafkaDeliveryOptions.SectionName))
            .Validate(o => o.OwnerHeartbeat > TimeSpan.Zero && o.OwnerTimeout > o.OwnerHeartbeat,
                "Gateway:Delivery:Kafka:OwnerTimeout must be longer than OwnerHeartbeat (both positive).")
            .Validate(o => o.ClaimTimeout >= TimeSpan.Zero && o.LedgerRetention >= TimeSpan.Zero,
                "Gateway:Delivery:Kafka:ClaimTimeout and LedgerRetention must not be negative.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConsumerGroup),
                "Gateway:Delivery:Kafka:ConsumerGroup must be set.")
            .ValidateOnStart();

        // The largest record: a message at the SMTP size limit plus its envelope. Producer, consumer and
        // topics are all sized from this one number.
        var smtp = configuration.GetSection(SmtpOptions.SectionName).Get<SmtpOptions>() ?? new SmtpOptions();
        services.Replace(ServiceDescriptor.Singleton(new KafkaRecordLimit(RecordLimit(smtp))));
        services.AddKafkaTopic(t => t.Queue, sp => sp.GetRequiredService<KafkaRecordLimit>().ValueBytes);
        services.AddKafkaTopics(sp => sp.GetRequiredService<DelayLadder>().Topics
            .Select(t => new KafkaTopicRequirement(t, sp.GetRequiredService<KafkaRecordLimit>().ValueBytes)));
        services.AddKafkaTopic(t => t.DeadLetter, sp => sp.GetRequiredService<KafkaRecordLimit>().ValueBytes);
        services.AddKafkaTopic(t => t.Delivered);
        services.AddKafkaTopic(t => t.ReputationOutcomes);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new DomainSet(sp.GetRequiredService<IOptions<GatewayOptions>>()));
        services.TryAddSingleton<DelayLadder>();
        services.TryAddSingleton<ReputationOutcomePublisher>();
        services.TryAddSingleton<KafkaMessageSpool>();
        services.TryAddSingleton<IMessageSpool>(sp => sp.GetRequiredService<KafkaMessageSpool>());
        services.TryAddSingleton<KafkaQueueInspector>();
        services.TryAddSingleton<IQueueInspector>(sp => sp.GetRequiredService<KafkaQueueInspector>());

        services.TryAddSingleton<DeliveryTargetFactory>();
        services.TryAddSingleton<IDeliveryTarget>(sp => sp.GetRequiredService<DeliveryTargetFactory>().Create());
        services.TryAddSingleton<IDeliveredCopyProbe, UnknownCopyProbe>();
        services.TryAddSingleton<DeliveryStatusNotifier>();
        services.TryAddSingleton<DeliveryOwner>();
        services.TryAddSingleton<DeliveryLedger>();
        services.TryAddSingleton<KafkaQueueIndex>();
        services.TryAddSingleton<KafkaQueueRecordReader>();
        services.TryAddSingleton<KafkaDeliveryHandler>();

        // The owner's heartbeat starts first and stops last, around the consumer.
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryOwner>());
        services.AddHostedService<KafkaDeliveryConsumer>();
        return services;
    }

    internal static int RecordLimit(SmtpOptions smtp) =>
        (int)Math.Min(int.MaxValue - 2L * 1024 * 1024, smtp.MaxMessageBytes + EnvelopeBytes);
}
