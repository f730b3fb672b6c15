using Confluent.Kafka;
using Gateway.Cluster.Tests.Support;
using Gateway.Common.Redis;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Queue.Kafka;
using Gateway.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Gateway.Cluster.Tests.Delivery;

/// <summary>
/// The queue index against the test Redis: writes are idempotent and only move forward (handlers run again
/// after crashes), every key expires, a finished message stays gone, and an outage throws nowhere.
/// </summary>
public sealed class KafkaQueueIndexTests(ITestOutputHelper output) : IDisposable
{
    private const string Prefix = "gwt-qindex:";
    private const int ListLimit = 100_000;

    private static readonly TopicPartitionOffset Queued = new("gateway.mail.queued", 2, 40);
    private static readonly TopicPartitionOffset Delayed = new("gateway.mail.retry.60s", 1, 7);

    private readonly RedisConnection _redis = new(Options.Create(new RedisOptions
    {
        Configuration = TestEnvironment.Get(TestEnvironment.RedisVariable) ?? "127.0.0.1:1",
        KeyPrefix = Prefix,
    }));

    private readonly CapturedLogs _logs = new();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task RecordAccepted_Twice_OneEntry_NewWithEveryRecipientPending()
    {
        var index = Index(_redis);
        var message = Message("ann@example.test", "ben@example.test");

        await index.RecordAcceptedAsync(message, Queued);
        await index.RecordAcceptedAsync(message, Queued);

        var entry = await index.FindAsync(message.QueueId);
        Assert.NotNull(entry);
        Assert.Equal(0, entry.Attempts);
        Assert.Equal("sender@example.test", entry.MailFrom);
        Assert.Equal(message.ReceivedAt.ToUnixTimeMilliseconds(), entry.ReceivedAt.ToUnixTimeMilliseconds());
        Assert.Equal(Queued, entry.Location);
        Assert.All(entry.Recipients, r => Assert.Equal(RecipientStatus.Pending, r.Status));
        Assert.Single(await index.ReadAllAsync(100_000), e => e.QueueId == message.QueueId);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task EveryKey_HasTheLedgersRetentionAsTtl()
    {
        var index = Index(_redis);
        var message = Message("ann@example.test");
        await index.RecordAcceptedAsync(message, Queued);
        var other = Message("ben@example.test");
        await index.RecordAcceptedAsync(other, Queued);
        await index.RemoveAsync(other.QueueId);
        await index.MarkDeletedAsync(other.QueueId);

        var db = _redis.Database;
        foreach (var key in new[]
        {
            $"{Prefix}qi:{message.QueueId}", $"{Prefix}qi-all", $"{Prefix}qi-done:{other.QueueId}",
            $"{Prefix}deleted:{other.QueueId}",
        })
        {
            var ttl = await db.KeyTimeToLiveAsync(key);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, index.Retention - TimeSpan.FromMinutes(1), index.Retention);
        }
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task LateAcceptWrite_AfterAnAttempt_KeepsTheAttemptAndTheRecipientStates()
    {
        var index = Index(_redis);
        var message = Message("ann@example.test", "ben@example.test");
        var attempt = Message(message.QueueId, message.ReceivedAt, "ann@example.test", "ben@example.test");
        attempt.Attempts = 1;
        attempt.NextAttemptAt = DateTimeOffset.UtcNow.AddMinutes(1);
        attempt.Recipients[1].LastResult = "451 4.4.1 try later";

        // The delivery handler was faster than the acceptance write (or the acceptance ran again).
        await index.RecordAttemptAsync(attempt, Delayed, [
            new QueueIndexRecipient("ann@example.test", RecipientStatus.Delivered, ""),
            new QueueIndexRecipient("ben@example.test", RecipientStatus.Pending, "451 4.4.1 try later")]);
        await index.RecordAcceptedAsync(message, Queued);

        var entry = await index.FindAsync(message.QueueId);
        Assert.NotNull(entry);
        Assert.Equal(1, entry.Attempts);
        Assert.Equal(Delayed, entry.Location);
        Assert.Equal("451 4.4.1 try later", entry.LastError);
        Assert.Equal(
            [("ann@example.test", RecipientStatus.Delivered), ("ben@example.test", RecipientStatus.Pending)],
            entry.Recipients.Select(r => (r.Address, r.Status)));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task OlderAttemptWrittenAgain_DoesNotUndoTheNewerOne()
    {
        var index = Index(_redis);
        var first = Message("ann@example.test");
        first.Attempts = 1;
        var second = Message(first.QueueId, first.ReceivedAt, "ann@example.test");
        second.Attempts = 2;

        await index.RecordAttemptAsync(second, Delayed, [
            new QueueIndexRecipient("ann@example.test", RecipientStatus.Failed, "550 5.1.1 no such user")]);
        await index.RecordAttemptAsync(first, Queued, [
            new QueueIndexRecipient("ann@example.test", RecipientStatus.Pending, "451 later")]);

        var entry = await index.FindAsync(first.QueueId);
        Assert.NotNull(entry);
        Assert.Equal(2, entry.Attempts);
        Assert.Equal(Delayed, entry.Location);
        var recipient = Assert.Single(entry.Recipients);
        Assert.Equal(RecipientStatus.Failed, recipient.Status);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Removed_ThenAnyLateWrite_StaysGone()
    {
        var index = Index(_redis);
        var message = Message("ann@example.test");
        await index.RecordAcceptedAsync(message, Queued);

        await index.RemoveAsync(message.QueueId);
        await index.RecordAcceptedAsync(message, Queued);
        await index.RecordAttemptAsync(message, Delayed, [
            new QueueIndexRecipient("ann@example.test", RecipientStatus.Pending, "")]);
        await index.MarkActiveAsync(message.QueueId, TimeSpan.FromMinutes(1));

        Assert.Null(await index.FindAsync(message.QueueId));
        Assert.DoesNotContain(await index.ReadAllAsync(100_000), e => e.QueueId == message.QueueId);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Generation_OnlyRises_AndCheckSeesItAndTheDeleteMarker()
    {
        var index = Index(_redis);
        var message = Message("ann@example.test");
        await index.RecordAcceptedAsync(message, Queued);

        await index.RaiseGenerationAsync(message.QueueId, 2);
        await index.RaiseGenerationAsync(message.QueueId, 1);
        Assert.Equal((false, 2L), await index.CheckAsync(message.QueueId));

        await index.MarkDeletedAsync(message.QueueId);
        Assert.Equal((true, 2L), await index.CheckAsync(message.QueueId));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ReadAll_ListsOldestFirst_AndWriteCostGoesToOutput()
    {
        const int count = 300;
        using var redis = new RedisConnection(Options.Create(new RedisOptions
        {
            Configuration = TestEnvironment.Require(TestEnvironment.RedisVariable),
            KeyPrefix = $"gwt-qindex-{Guid.NewGuid():N}:",
        }));
        var index = Index(redis);
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var messages = Enumerable.Range(0, count)
            .Select(i => Message(QueueIdGenerator.Next(), start.AddSeconds(count - i), "ann@example.test"))
            .ToList();

        var accepted = System.Diagnostics.Stopwatch.StartNew();
        foreach (var message in messages)
        {
            await index.RecordAcceptedAsync(message, Queued);
        }

        accepted.Stop();
        var attempted = System.Diagnostics.Stopwatch.StartNew();
        foreach (var message in messages)
        {
            message.Attempts = 1;
            await index.RecordAttemptAsync(message, Delayed, [
                new QueueIndexRecipient("ann@example.test", RecipientStatus.Pending, "451 4.4.1 later")]);
        }

        attempted.Stop();
        var read = System.Diagnostics.Stopwatch.StartNew();
        var listed = await index.ReadAllAsync(ListLimit);
        read.Stop();

        Assert.Equal(messages.Select(m => m.QueueId).Reverse(), listed.Select(e => e.QueueId));
        Assert.Empty(_logs.EventNames);
        output.WriteLine($"{count} messages: accept write {accepted.Elapsed.TotalMilliseconds / count:0.000} ms, "
            + $"attempt write {attempted.Elapsed.TotalMilliseconds / count:0.000} ms per message (sequential, one "
            + $"round trip each); listing all {read.Elapsed.TotalMilliseconds:0.0} ms");
    }

    [Fact]
    public async Task Writes_RedisUnreachable_NeitherThrowNorHang_AndAreLogged()
    {
        using var down = new RedisConnection(Options.Create(new RedisOptions
        {
            Configuration = "127.0.0.1:" + FreePort.Next() + ",connectTimeout=500",
            KeyPrefix = Prefix,
        }));
        var index = Index(down);
        var message = Message("ann@example.test");

        await index.RecordAcceptedAsync(message, Queued);
        await index.MarkActiveAsync(message.QueueId, TimeSpan.FromMinutes(1));
        await index.RecordAttemptAsync(message, Delayed, [
            new QueueIndexRecipient("ann@example.test", RecipientStatus.Pending, "")]);
        await index.RemoveAsync(message.QueueId);

        Assert.Equal(4, _logs.EventNames.Count(n => n == "KafkaQueueIndexWriteFailed"));
    }

    public void Dispose()
    {
        _redis.Dispose();
        _logs.Dispose();
    }

    private KafkaQueueIndex Index(IRedisConnection redis) => new(redis,
        Options.Create(new KafkaDeliveryOptions()), Options.Create(new DeliveryOptions()), TimeProvider.System,
        new Logger<KafkaQueueIndex>(new LoggerFactory([_logs])));

    private static QueuedMessage Message(params string[] recipients) =>
        Message(QueueIdGenerator.Next(), DateTimeOffset.UtcNow, recipients);

    private static QueuedMessage Message(string queueId, DateTimeOffset receivedAt, params string[] recipients) => new()
    {
        QueueId = queueId,
        MailFrom = "sender@example.test",
        Recipients = recipients.Select(r => new QueuedRecipient { Address = r }).ToList(),
        ClientAddress = "192.0.2.1",
        ReceivedAt = receivedAt,
        Size = 100,
    };
}
