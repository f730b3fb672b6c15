using System.Text;
using Confluent.Kafka;
using Gateway.AdminApi;
using Gateway.Cluster.Tests.Kafka;
using Gateway.Cluster.Tests.Support;
using Gateway.ClusterCommon.Kafka;
using Gateway.Common.Redis;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Host.Admin;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Queue.Kafka;
using Gateway.Testing;
using Gateway.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Cluster.Tests.Delivery;

/// <summary>
/// The edge's queue administration over the real index, ledger and Kafka mock: retry writes the newest record
/// again one generation up, retry and delete wait for an attempt that holds a claim (Busy), unknown ids are
/// NotFound.
/// </summary>
public sealed class KafkaQueueAdministrationTests(KafkaMockFixture kafka)
    : IClassFixture<KafkaMockFixture>, IDisposable
{
    private readonly string _prefix = KafkaMockFixture.NewPrefix();
    private readonly RedisConnection _redis = new(Options.Create(new RedisOptions
    {
        Configuration = TestEnvironment.Get(TestEnvironment.RedisVariable) ?? "127.0.0.1:1",
        KeyPrefix = "gwt-qadmin:",
    }));

    private readonly IOptions<KafkaDeliveryOptions> _kafkaOptions =
        Options.Create(new KafkaDeliveryOptions { ConsumerGroup = "g-" + Guid.NewGuid().ToString("N") });

    private readonly IOptions<DeliveryOptions> _deliveryOptions = Options.Create(new DeliveryOptions());

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Retry_Deferred_WritesTheRecordAgainToTheQueueTopic_OneGenerationUp()
    {
        using var parts = await PartsAsync();
        var message = await parts.QueueAsync("ann@example.test");

        Assert.Equal(QueueActionOutcome.Done, await parts.Admin.RetryAsync(message.QueueId, CancellationToken.None));

        var records = ReadRecords(_prefix + "mail.queued", 2);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(message.QueueId, r.Message.Key));
        Assert.Null(KafkaHeaders.GetLong(records[0].Message.Headers, KafkaQueueIndex.GenerationHeader));
        Assert.Equal(1, KafkaHeaders.GetLong(records[1].Message.Headers, KafkaQueueIndex.GenerationHeader));
        // The same message, due now: only NotBefore differs (its encoded length varies with the time).
        var first = QueuedMail.Parser.ParseFrom(records[0].Message.Value);
        var again = QueuedMail.Parser.ParseFrom(records[1].Message.Value);
        Assert.NotNull(again.NotBefore);
        first.NotBefore = null;
        again.NotBefore = null;
        Assert.Equal(first, again);
        Assert.Equal((false, 1L), await parts.Index.CheckAsync(message.QueueId));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task RetryAndDelete_WhileAnAttemptHoldsAClaim_Busy_ThenDoneOnceReleased()
    {
        using var parts = await PartsAsync();
        var message = await parts.QueueAsync("ann@example.test", "ben@example.test");
        var claim = await parts.Ledger.ClaimAsync(message.QueueId, "ben@example.test");
        Assert.Equal(DeliveryLedgerState.Claimed, claim.State);

        Assert.Equal(QueueActionOutcome.Busy, await parts.Admin.DeleteAsync(message.QueueId, CancellationToken.None));
        Assert.Equal(QueueActionOutcome.Busy, await parts.Admin.RetryAsync(message.QueueId, CancellationToken.None));
        Assert.NotNull(await parts.Admin.ShowAsync(message.QueueId, CancellationToken.None));

        await parts.Ledger.ReleaseAsync(claim);
        Assert.Equal(QueueActionOutcome.Done, await parts.Admin.DeleteAsync(message.QueueId, CancellationToken.None));
        Assert.Null(await parts.Admin.ShowAsync(message.QueueId, CancellationToken.None));
        Assert.Equal((true, 0L), await parts.Index.CheckAsync(message.QueueId));
        Assert.Equal(QueueActionOutcome.NotFound,
            await parts.Admin.DeleteAsync(message.QueueId, CancellationToken.None));
    }

    [RequiresTheory(TestEnvironment.RedisVariable)]
    [InlineData("06H46A6REG00008NMJSHA26F")]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    public async Task UnknownOrMalformedId_NotFound(string queueId)
    {
        using var parts = await PartsAsync();

        Assert.Null(await parts.Admin.ShowAsync(queueId, CancellationToken.None));
        Assert.Equal(QueueActionOutcome.NotFound, await parts.Admin.RetryAsync(queueId, CancellationToken.None));
        Assert.Equal(QueueActionOutcome.NotFound, await parts.Admin.DeleteAsync(queueId, CancellationToken.None));
    }

    public void Dispose() => _redis.Dispose();

    private async Task<Parts> PartsAsync()
    {
        var options = Options.Create(kafka.Options(_prefix));
        var factory = kafka.Factory(_prefix);
        var limit = new KafkaRecordLimit(1_000_000);
        var producer = new KafkaEventProducer(factory, limit, "test");
        var topics = new KafkaTopics(options);
        var index = new KafkaQueueIndex(_redis, _kafkaOptions, _deliveryOptions, TimeProvider.System,
            NullLogger<KafkaQueueIndex>.Instance);
        var owner = new DeliveryOwner(_redis, _kafkaOptions, NullLogger<DeliveryOwner>.Instance);
        await owner.BeatAsync();
        var ledger = new DeliveryLedger(_redis, owner, _kafkaOptions, _deliveryOptions);
        var reader = new KafkaQueueRecordReader(factory, limit, _kafkaOptions);
        var inspector = new KafkaQueueInspector(factory, topics, new DelayLadder(_deliveryOptions, _kafkaOptions,
            topics), _kafkaOptions);
        var spool = new KafkaMessageSpool(producer, topics, new ReputationOutcomePublisher(producer, topics,
            TimeProvider.System, NullLogger<ReputationOutcomePublisher>.Instance), index, TimeProvider.System,
            NullLogger<KafkaMessageSpool>.Instance);
        var admin = new KafkaQueueAdministration(index, ledger, reader, producer, topics, inspector,
            TimeProvider.System, NullLogger<KafkaQueueAdministration>.Instance);
        return new Parts(admin, index, ledger, spool, [reader, inspector, producer]);
    }

    private List<ConsumeResult<string, byte[]>> ReadRecords(string topic, int count) =>
        TopicRecords.Read(kafka.Cluster.BootstrapServers, topic, count);

    private sealed record Parts(
        KafkaQueueAdministration Admin,
        KafkaQueueIndex Index,
        DeliveryLedger Ledger,
        KafkaMessageSpool Spool,
        IDisposable[] Owned) : IDisposable
    {
        /// <summary>Queues a message as the SMTP intake would; the index then lists it as new.</summary>
        public async Task<QueuedMessage> QueueAsync(params string[] recipients)
        {
            var message = new QueuedMessage
            {
                QueueId = Spool.NewQueueId(),
                MailFrom = "sender@partner.invalid",
                Recipients = recipients.Select(r => new QueuedRecipient { Address = r }).ToList(),
                ClientAddress = "192.0.2.1",
                ReceivedAt = DateTimeOffset.UtcNow,
            };
            await Spool.StoreAsync(message, Encoding.ASCII.GetBytes("Subject: x\r\n\r\nbody\r\n"),
                CancellationToken.None);
            return message;
        }

        public void Dispose()
        {
            foreach (var owned in Owned)
            {
                owned.Dispose();
            }
        }
    }
}
