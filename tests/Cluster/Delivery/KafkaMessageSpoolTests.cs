using System.Text;
using Confluent.Kafka;
using Gateway.Cluster.Tests.Kafka;
using Gateway.ClusterCommon.Kafka;
using Gateway.Common.Redis;
using Gateway.Cluster.Tests.Support;
using Microsoft.Extensions.Logging;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Queue.Kafka;
using Gateway.Testing;
using Gateway.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Cluster.Tests.Delivery;

/// <summary>The edge's Kafka queue: StoreAsync returns only with the record acknowledged, and throws
/// otherwise.</summary>
public sealed class KafkaMessageSpoolTests(KafkaMockFixture kafka) : IClassFixture<KafkaMockFixture>
{
    [Fact]
    public async Task Store_Acknowledged_RecordHoldsTheEnvelopeAndContent()
    {
        var prefix = KafkaMockFixture.NewPrefix();
        var options = kafka.Options(prefix);
        var (spool, producer) = NewSpool(options);
        using var _ = producer;
        var content = Encoding.ASCII.GetBytes("Subject: hi\r\n\r\nbody\r\n");
        var message = new QueuedMessage
        {
            QueueId = spool.NewQueueId(),
            MailFrom = "a@sender.invalid",
            Recipients = [new QueuedRecipient { Address = "ann@example.test" },
                new QueuedRecipient { Address = "ben@example.test" }],
            ClientAddress = "192.0.2.1",
            ReceivedAt = DateTimeOffset.UtcNow,
            Fingerprints = ["t1:abc"],
            MessageId = "<m@x>",
        };

        await spool.StoreAsync(message, content, CancellationToken.None);

        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = "check-" + prefix,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(prefix + "mail.queued");
        var record = consumer.Consume(TimeSpan.FromSeconds(20));
        Assert.NotNull(record);
        Assert.Equal(message.QueueId, record.Message.Key);
        var type = record.Message.Headers.GetLastBytes(KafkaHeaders.Type);
        Assert.Equal("gateway.v1.QueuedMail", Encoding.ASCII.GetString(type));
        var mail = QueuedMail.Parser.ParseFrom(record.Message.Value);
        Assert.Null(QueuedMailConverter.Validate(mail));
        Assert.Equal(content, mail.Content.ToByteArray());
        Assert.Equal(["ann@example.test", "ben@example.test"], mail.Recipients.Select(r => r.Address));
        Assert.Equal(["t1:abc"], mail.Fingerprints);
        Assert.Equal(0, mail.Attempts);
        consumer.Close();
    }

    [Fact]
    public async Task Store_BrokerUnreachable_Throws_SoTheEdgeAnswers4xx()
    {
        var options = kafka.Options(KafkaMockFixture.NewPrefix());
        options.BootstrapServers = "127.0.0.1:" + FreePort.Next();
        options.ProduceTimeout = TimeSpan.FromSeconds(2);
        var (spool, producer) = NewSpool(options);
        using var _ = producer;
        var message = new QueuedMessage
        {
            QueueId = spool.NewQueueId(),
            MailFrom = "",
            Recipients = [new QueuedRecipient { Address = "ann@example.test" }],
            ClientAddress = "192.0.2.1",
        };
        await Assert.ThrowsAnyAsync<KafkaException>(() =>
            spool.StoreAsync(message, Encoding.ASCII.GetBytes("Subject: x\r\n\r\n"), CancellationToken.None));
    }

    [Fact]
    public async Task Store_IndexUnreachable_StillAcknowledged_AndTheFailureCounted()
    {
        var options = kafka.Options(KafkaMockFixture.NewPrefix());
        using var redis = new RedisConnection(Options.Create(new RedisOptions
        {
            Configuration = "127.0.0.1:" + FreePort.Next() + ",connectTimeout=500",
            KeyPrefix = "gwt-spool-down:",
        }));
        using var logs = new CapturedLogs();
        var (spool, producer) = NewSpool(options, redis, logs);
        using var _ = producer;
        var message = OneRecipientMessage(spool);

        await spool.StoreAsync(message, Encoding.ASCII.GetBytes("Subject: x\r\n\r\n"), CancellationToken.None);

        Assert.Contains("KafkaQueueIndexWriteFailed", logs.EventNames);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Store_Acknowledged_IndexPointsAtTheRecord_WhichReadsBack()
    {
        var prefix = KafkaMockFixture.NewPrefix();
        var options = kafka.Options(prefix);
        using var redis = new RedisConnection(Options.Create(new RedisOptions
        {
            Configuration = TestEnvironment.Require(TestEnvironment.RedisVariable),
            KeyPrefix = "gwt-spool:",
        }));
        var (spool, producer) = NewSpool(options, redis);
        using var _ = producer;
        var message = OneRecipientMessage(spool);

        await spool.StoreAsync(message, Encoding.ASCII.GetBytes("Subject: x\r\n\r\n"), CancellationToken.None);

        var entry = await Index(redis).FindAsync(message.QueueId);
        Assert.NotNull(entry);
        Assert.Equal(0, entry.Attempts);
        Assert.Equal(prefix + "mail.queued", entry.Location!.Topic);
        using var reader = new KafkaQueueRecordReader(kafka.Factory(prefix), new KafkaRecordLimit(1_000_000),
            Options.Create(new KafkaDeliveryOptions { ConsumerGroup = "g-" + prefix }));
        var mail = await reader.ReadAsync(entry.Location, CancellationToken.None);
        Assert.Equal(message.QueueId, mail?.QueueId);
    }

    private static QueuedMessage OneRecipientMessage(KafkaMessageSpool spool) => new()
    {
        QueueId = spool.NewQueueId(),
        MailFrom = "a@sender.invalid",
        Recipients = [new QueuedRecipient { Address = "ann@example.test" }],
        ClientAddress = "192.0.2.1",
        ReceivedAt = DateTimeOffset.UtcNow,
    };

    private static KafkaQueueIndex Index(IRedisConnection redis, ILoggerProvider? logs = null) => new(redis,
        Options.Create(new KafkaDeliveryOptions()), Options.Create(new MtaEdge.Delivery.DeliveryOptions()),
        TimeProvider.System, logs is null
            ? NullLogger<KafkaQueueIndex>.Instance
            : new Logger<KafkaQueueIndex>(new LoggerFactory([logs])));

    private static (KafkaMessageSpool Spool, KafkaEventProducer Producer) NewSpool(KafkaOptions options,
        IRedisConnection? redis = null, ILoggerProvider? logs = null)
    {
        var factory = new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);
        var producer = new KafkaEventProducer(factory, new KafkaRecordLimit(1_000_000), "test");
        var topics = new KafkaTopics(Options.Create(options));
        var outcomes = new ReputationOutcomePublisher(producer, topics, TimeProvider.System,
            NullLogger<ReputationOutcomePublisher>.Instance);
        redis ??= new RedisConnection(Options.Create(new RedisOptions
        {
            Configuration = TestEnvironment.Get(TestEnvironment.RedisVariable) ?? "127.0.0.1:1,connectTimeout=500",
            KeyPrefix = "gwt-spool:",
        }));
        return (new KafkaMessageSpool(producer, topics, outcomes, Index(redis, logs), TimeProvider.System,
            NullLogger<KafkaMessageSpool>.Instance), producer);
    }
}
