using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Gateway.Cluster.Tests.Kafka;
using Gateway.Cluster.Tests.Support;
using Gateway.ClusterCommon.Kafka;
using Gateway.Common.Configuration;
using Gateway.Common.Redis;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Delivery.Dsn;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Queue.Kafka;
using Gateway.Testing;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Cluster.Tests.Delivery;

/// <summary>
/// One delivery attempt per queue record, with a scripted target: a record read twice delivers once, a
/// temporary failure goes to a delay topic, a permanent one is reported once, an unreadable record is set aside.
/// </summary>
public sealed class KafkaDeliveryHandlerTests(KafkaMockFixture kafka) : IClassFixture<KafkaMockFixture>, IDisposable
{
    private readonly string _prefix = KafkaMockFixture.NewPrefix();
    private readonly RedisConnection _redis = new(Options.Create(new RedisOptions
    {
        Configuration = TestEnvironment.Get(TestEnvironment.RedisVariable) ?? "127.0.0.1:1",
        KeyPrefix = "gwt-handler:",
    }));

    private readonly ScriptedTarget _target = new();
    private readonly RecordingSpool _spool = new();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Handle_SameRecordTwice_DeliversOnce_AndPublishesTheCopyRecordEachTime()
    {
        using var producer = NewProducer();
        var handler = await NewHandlerAsync(producer);
        var record = QueueRecord(Mail("ann@example.test", "ben@example.test"));

        await handler.HandleAsync(record, CancellationToken.None);
        await handler.HandleAsync(record, CancellationToken.None);

        Assert.Equal(1, _target.Deliveries["ann@example.test"]);
        Assert.Equal(1, _target.Deliveries["ben@example.test"]);
        var copies = Read<DeliveryRecord>(_prefix + "mail.delivered", 4);
        Assert.Equal(4, copies.Count);
        Assert.All(copies, c => Assert.Equal(MailboxStoreKind.Imap, c.Store));
        Assert.Equal(2, copies.Select(c => c.Recipient).Distinct().Count());
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Handle_TemporaryFailure_RetriesThatRecipientOnlyThroughTheFirstDelayTopic()
    {
        using var producer = NewProducer();
        var handler = await NewHandlerAsync(producer);
        _target.Outcomes["ben@example.test"] = DeliveryOutcome.TemporaryFailure;
        var before = DateTimeOffset.UtcNow;

        await handler.HandleAsync(QueueRecord(Mail("ann@example.test", "ben@example.test")), CancellationToken.None);

        var retry = ReadRecords(_prefix + "mail.retry.1s", 1).Single();
        var mail = QueuedMail.Parser.ParseFrom(retry.Message.Value);
        Assert.Equal(["ben@example.test"], mail.Recipients.Select(r => r.Address));
        Assert.StartsWith("451", mail.Recipients[0].LastResult);
        Assert.Equal(1, mail.Attempts);
        var notBefore = DateTimeOffset.FromUnixTimeMilliseconds(
            KafkaHeaders.GetLong(retry.Message.Headers, KafkaHeaders.NotBefore)!.Value);
        Assert.InRange(notBefore, before.AddSeconds(1), DateTimeOffset.UtcNow.AddSeconds(1.5));

        // The retry record, once due, delivers ben; ann is not touched again.
        _target.Outcomes.Clear();
        await handler.HandleAsync(retry, CancellationToken.None);
        Assert.Equal(1, _target.Deliveries["ann@example.test"]);
        Assert.Equal(2, _target.Deliveries["ben@example.test"]);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Handle_PermanentFailure_ReportsToTheSenderOnce()
    {
        using var producer = NewProducer();
        var handler = await NewHandlerAsync(producer);
        _target.Outcomes["ann@example.test"] = DeliveryOutcome.PermanentFailure;
        var record = QueueRecord(Mail("ann@example.test"));

        await handler.HandleAsync(record, CancellationToken.None);
        await handler.HandleAsync(record, CancellationToken.None);

        Assert.Equal(1, _target.Deliveries["ann@example.test"]);
        var report = Assert.Single(_spool.Stored);
        Assert.Equal("", report.MailFrom);
        Assert.Equal("sender@example.test", report.Recipients.Single().Address);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Handle_UnreadableRecord_IsSetAsideOnTheDeadLetterTopic()
    {
        using var producer = NewProducer();
        var handler = await NewHandlerAsync(producer);
        var record = QueueRecord(new QueuedMail { QueueId = "../etc" });

        await handler.HandleAsync(record, CancellationToken.None);

        var letter = Read<DeadLetter>(_prefix + "mail.dead", 1).Single();
        Assert.Contains("queue id", letter.Reason);
        Assert.Empty(_target.Deliveries);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Handle_TemporaryFailure_IndexShowsTheAttempt_ThenDeliveryRemovesTheEntry()
    {
        using var producer = NewProducer();
        var handler = await NewHandlerAsync(producer);
        _target.Outcomes["ben@example.test"] = DeliveryOutcome.TemporaryFailure;
        var mail = Mail("ann@example.test", "ben@example.test");

        await handler.HandleAsync(QueueRecord(mail), CancellationToken.None);

        var entry = await Index().FindAsync(mail.QueueId);
        Assert.NotNull(entry);
        Assert.Equal(1, entry.Attempts);
        Assert.StartsWith("451", entry.LastError);
        Assert.Equal(_prefix + "mail.retry.1s", entry.Location!.Topic);
        Assert.Equal(
            [("ann@example.test", RecipientStatus.Delivered), ("ben@example.test", RecipientStatus.Pending)],
            entry.Recipients.Select(r => (r.Address, r.Status)));

        _target.Outcomes.Clear();
        await handler.HandleAsync(ReadRecords(_prefix + "mail.retry.1s", 1).Single(), CancellationToken.None);
        Assert.Null(await Index().FindAsync(mail.QueueId));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Handle_DeletedMessage_DeliversNothing_AndReportsNothing()
    {
        using var producer = NewProducer();
        var handler = await NewHandlerAsync(producer);
        var mail = Mail("ann@example.test");
        await Index().MarkDeletedAsync(mail.QueueId);

        await handler.HandleAsync(QueueRecord(mail), CancellationToken.None);

        Assert.Empty(_target.Deliveries);
        Assert.Empty(_spool.Stored);
        Assert.Null(await Index().FindAsync(mail.QueueId));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Handle_RecordOfAnOlderGeneration_IsSuperseded_TheNewerOneDelivers()
    {
        using var producer = NewProducer();
        var handler = await NewHandlerAsync(producer);
        var mail = Mail("ann@example.test");
        var index = Index();
        await index.RecordAcceptedAsync(QueuedMailConverter.ToMessage(mail),
            new TopicPartitionOffset(_prefix + "mail.queued", 0, 0));
        await index.RaiseGenerationAsync(mail.QueueId, 1);

        await handler.HandleAsync(QueueRecord(mail), CancellationToken.None);
        Assert.Empty(_target.Deliveries);

        var newer = QueueRecord(mail);
        KafkaHeaders.SetLong(newer.Message.Headers, KafkaQueueIndex.GenerationHeader, 1);
        await handler.HandleAsync(newer, CancellationToken.None);
        Assert.Equal(1, _target.Deliveries["ann@example.test"]);
    }

    public void Dispose() => _redis.Dispose();

    private KafkaQueueIndex Index() => new(_redis, Options.Create(new KafkaDeliveryOptions()),
        Options.Create(new DeliveryOptions()), TimeProvider.System, NullLogger<KafkaQueueIndex>.Instance);

    private KafkaEventProducer NewProducer() =>
        new(kafka.Factory(_prefix), new KafkaRecordLimit(1_000_000), "test");

    private async Task<KafkaDeliveryHandler> NewHandlerAsync(KafkaEventProducer producer)
    {
        var kafkaOptions = Options.Create(kafka.Options(_prefix));
        var deliveryOptions = Options.Create(new DeliveryOptions
        {
            RetryInitialDelay = TimeSpan.FromSeconds(1),
            RetryMaxDelay = TimeSpan.FromSeconds(4),
        });
        var ledgerOptions = Options.Create(new KafkaDeliveryOptions());
        var owner = new DeliveryOwner(_redis, ledgerOptions, NullLogger<DeliveryOwner>.Instance);
        await owner.BeatAsync();
        var topics = new KafkaTopics(kafkaOptions);
        var gateway = Options.Create(new GatewayOptions { Domains = ["example.test"], Hostname = "gw.test" });
        return new KafkaDeliveryHandler(
            new DeliveryLedger(_redis, owner, ledgerOptions, deliveryOptions),
            Index(),
            _target,
            new UnknownCopyProbe(),
            new DeliveryStatusNotifier(_spool, new DomainSet(gateway), gateway, TimeProvider.System,
                NullLogger<DeliveryStatusNotifier>.Instance),
            producer,
            topics,
            new DelayLadder(deliveryOptions, ledgerOptions, topics),
            new ReputationOutcomePublisher(producer, topics, TimeProvider.System,
                NullLogger<ReputationOutcomePublisher>.Instance),
            deliveryOptions,
            TimeProvider.System,
            NullLogger<KafkaDeliveryHandler>.Instance);
    }

    private static QueuedMail Mail(params string[] recipients)
    {
        var mail = new QueuedMail
        {
            QueueId = QueueIdGenerator.Next(),
            MailFrom = "sender@example.test",
            ClientAddress = "192.0.2.1",
            ReceivedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            MessageId = "<m@x>",
            Content = ByteString.CopyFromUtf8("Subject: test\r\nMessage-ID: <m@x>\r\n\r\nHello.\r\n"),
        };
        mail.Fingerprints.Add("t1:00ff");
        mail.Recipients.AddRange(recipients.Select(r => new QueuedMailRecipient { Address = r }));
        return mail;
    }

    private ConsumeResult<string, byte[]> QueueRecord(QueuedMail mail) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(_prefix + "mail.queued", 0, 0),
        Message = new Message<string, byte[]>
        {
            Key = mail.QueueId,
            Value = mail.ToByteArray(),
            Headers = new Headers(),
        },
    };

    private List<T> Read<T>(string topic, int count) where T : IMessage<T>, new() =>
        ReadRecords(topic, count).Select(r => new MessageParser<T>(() => new T()).ParseFrom(r.Message.Value)).ToList();

    private List<ConsumeResult<string, byte[]>> ReadRecords(string topic, int count) =>
        TopicRecords.Read(kafka.Cluster.BootstrapServers, topic, count, lookForExtra: true);

    /// <summary>A target that answers per recipient as scripted (delivered unless told otherwise) and counts
    /// calls.</summary>
    private sealed class ScriptedTarget : IDeliveryTarget
    {
        public ConcurrentDictionary<string, int> Deliveries { get; } = new();

        public ConcurrentDictionary<string, DeliveryOutcome> Outcomes { get; } = new();

        public string Description => "scripted";

        public MailboxStoreKind StoreKind => MailboxStoreKind.Imap;

        public Task<IReadOnlyList<RecipientDeliveryResult>> DeliverAsync(QueuedMessage message,
            ReadOnlyMemory<byte> content, IReadOnlyList<QueuedRecipient> recipients,
                CancellationToken cancellationToken)
        {
            var results = recipients.Select(r =>
            {
                Deliveries.AddOrUpdate(r.Address, 1, (_, n) => n + 1);
                return Outcomes.GetValueOrDefault(r.Address, DeliveryOutcome.Delivered) switch
                {
                    DeliveryOutcome.TemporaryFailure => RecipientDeliveryResult.Temporary(r, "451 4.2.0 try later"),
                    DeliveryOutcome.PermanentFailure => RecipientDeliveryResult.Permanent(r, "550 5.1.1 no such user"),
                    _ => RecipientDeliveryResult.Delivered(r, "250 2.0.0 ok"),
                };
            }).ToList();
            return Task.FromResult<IReadOnlyList<RecipientDeliveryResult>>(results);
        }
    }

    /// <summary>Keeps what the failure reports queue.</summary>
    private sealed class RecordingSpool : IMessageSpool
    {
        public ConcurrentBag<QueuedMessage> Stored { get; } = new();

        public string NewQueueId() => QueueIdGenerator.Next();

        public Task StoreAsync(QueuedMessage message, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            Stored.Add(message);
            return Task.CompletedTask;
        }
    }
}
