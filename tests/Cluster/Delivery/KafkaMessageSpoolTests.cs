using System.Text;
using Confluent.Kafka;
using Gateway.Cluster.Tests.Kafka;
using Gateway.ClusterCommon.Kafka;
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

    private static (KafkaMessageSpool Spool, KafkaEventProducer Producer) NewSpool(KafkaOptions options)
    {
        var factory = new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);
        var producer = new KafkaEventProducer(factory, new KafkaRecordLimit(1_000_000), "test");
        var topics = new KafkaTopics(Options.Create(options));
        var outcomes = new ReputationOutcomePublisher(producer, topics, TimeProvider.System,
            NullLogger<ReputationOutcomePublisher>.Instance);
        return (new KafkaMessageSpool(producer, topics, outcomes, TimeProvider.System,
            NullLogger<KafkaMessageSpool>.Instance), producer);
    }
}
