using System.Diagnostics;
using Confluent.Kafka;
using Gateway.ClusterCommon.Kafka;
using Gateway.ClusterCommon.Telemetry;
using Gateway.V1;

namespace Gateway.Cluster.Tests.Kafka;

/// <summary>The at-least-once consumer and the durable producer against librdkafka's mock cluster.</summary>
public sealed class KafkaConsumerServiceTests(KafkaMockFixture kafka) : IClassFixture<KafkaMockFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Consumer_HandlerFailsOnce_RecordIsRetriedAndCommittedOnlyAfterSuccess()
    {
        var prefix = KafkaMockFixture.NewPrefix();
        var factory = kafka.Factory(prefix);
        var topic = prefix + "work";
        using var producer = new KafkaEventProducer(factory, KafkaRecordLimit.Events, "test");
        for (var i = 0; i < 20; i++)
        {
            await producer.ProduceAsync(topic, "same-key", Event(i), CancellationToken.None);
        }

        using var consumer = new RecordingConsumer(factory, prefix + "group", topic, (record, attempt, _) =>
            record.Offset.Value == 5 && attempt == 1
                ? throw new InvalidOperationException("transient")
                : Task.CompletedTask);
        await consumer.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => consumer.Done.Count >= 20);
        await consumer.StopAsync(CancellationToken.None);

        Assert.Equal(2, consumer.AttemptsOf(5));
        Assert.Equal(20, consumer.Done.Select(d => d.Offset).Distinct().Count());
        Assert.Equal(20, Committed(factory, prefix + "group", topic));
    }

    [Fact]
    public async Task Consumer_StoppedWithRecordInProgress_NextConsumerReadsItAgain()
    {
        var prefix = KafkaMockFixture.NewPrefix();
        var factory = kafka.Factory(prefix);
        var topic = prefix + "work";
        using var producer = new KafkaEventProducer(factory, KafkaRecordLimit.Events, "test");
        for (var i = 0; i < 3; i++)
        {
            await producer.ProduceAsync(topic, "same-key", Event(i), CancellationToken.None);
        }

        // The first consumer finishes offset 0 and hangs on offset 1 until it is told to abandon it.
        using (var first = new RecordingConsumer(factory, prefix + "group", topic, async (record, _, abandon) =>
               {
                   if (record.Offset.Value >= 1)
                   {
                       await Task.Delay(Timeout.Infinite, abandon);
                   }
               }, concurrency: 1))
        {
            await first.StartAsync(CancellationToken.None);
            await WaitUntilAsync(() => first.Done.Count == 1 && first.AttemptsOf(1) == 1);
            await first.StopAsync(CancellationToken.None);
        }

        Assert.Equal(1, Committed(factory, prefix + "group", topic));
        using var second = new RecordingConsumer(factory, prefix + "group", topic, (_, _, _) => Task.CompletedTask);
        await second.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => second.Done.Count >= 2);
        await second.StopAsync(CancellationToken.None);
        Assert.Equal([1L, 2L], second.Done.Select(d => d.Offset).Order().ToArray());
    }

    [Fact]
    public async Task Consumer_RecordNotDueYet_IsHandledOnlyWhenDue()
    {
        var prefix = KafkaMockFixture.NewPrefix();
        var factory = kafka.Factory(prefix);
        var topic = prefix + "delay";
        using var producer = new KafkaEventProducer(factory, KafkaRecordLimit.Events, "test");
        var due = DateTimeOffset.UtcNow.AddSeconds(2);
        var headers = new Headers();
        KafkaHeaders.SetLong(headers, KafkaHeaders.NotBefore, due.ToUnixTimeMilliseconds());
        await producer.ProduceAsync(topic, "k", Event(1), CancellationToken.None, headers);

        using var consumer = new RecordingConsumer(factory, prefix + "group", topic, (_, _, _) => Task.CompletedTask);
        await consumer.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => !consumer.Done.IsEmpty);
        await consumer.StopAsync(CancellationToken.None);

        Assert.True(consumer.Done.Single().At >= due, $"handled at {consumer.Done.Single().At:O}, due {due:O}");
        Assert.Equal(1, consumer.AttemptsOf(0));
    }

    [Fact]
    public async Task ProduceThenConsume_CarriesTheTraceContextInHeaders()
    {
        var prefix = KafkaMockFixture.NewPrefix();
        var factory = kafka.Factory(prefix);
        var topic = prefix + "traced";
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ClusterTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var producer = new KafkaEventProducer(factory, KafkaRecordLimit.Events, "test");
        ActivityTraceId traceId;
        using (var message = MessageTrace.Begin("QUEUEID0000000000000001"))
        {
            traceId = message!.TraceId;
            await producer.ProduceAsync(topic, "k", Event(1), CancellationToken.None);
        }

        using var consumer = new RecordingConsumer(factory, prefix + "group", topic, (_, _, _) => Task.CompletedTask);
        await consumer.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => !consumer.Done.IsEmpty);
        await consumer.StopAsync(CancellationToken.None);
        await WaitUntilAsync(() => { lock (spans) { return spans.Any(s => s.Kind == ActivityKind.Consumer); } });

        lock (spans)
        {
            var send = spans.Single(s => s.Kind == ActivityKind.Producer);
            var process = spans.Single(s => s.Kind == ActivityKind.Consumer);
            Assert.Equal(MessageTrace.TraceIdOf("QUEUEID0000000000000001"), traceId);
            Assert.Equal(traceId, send.TraceId);
            Assert.Equal(traceId, process.TraceId);
            Assert.Equal(send.SpanId, process.ParentSpanId);
        }
    }

    [Fact]
    public async Task Produce_ValueOverTheRecordLimit_IsRefusedBeforeSending()
    {
        var prefix = KafkaMockFixture.NewPrefix();
        using var producer = new KafkaEventProducer(kafka.Factory(prefix), new KafkaRecordLimit(100), "test");
        var big = new ReputationOutcome { OutcomeId = new string('x', 200) };
        await Assert.ThrowsAsync<ArgumentException>(() =>
            producer.ProduceAsync(prefix + "t", "k", big, CancellationToken.None));
    }

    [Fact]
    public async Task Produce_BrokerUnreachable_FailsWithinTheProduceTimeout()
    {
        var options = kafka.Options(KafkaMockFixture.NewPrefix());
        options.BootstrapServers = "127.0.0.1:" + Gateway.Testing.FreePort.Next();
        options.ProduceTimeout = TimeSpan.FromSeconds(2);
        var factory = new KafkaClientFactory(Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        using var producer = new KafkaEventProducer(factory, KafkaRecordLimit.Events, "test");
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<KafkaException>(() =>
            producer.ProduceAsync(options.TopicPrefix + "t", "k", Event(1), CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    private static ReputationOutcome Event(int n) => new() { OutcomeId = "o" + n, ClientIp = "192.0.2.1" };

    private static long Committed(KafkaClientFactory factory, string group, string topic)
    {
        var config = factory.CreateConsumerConfig(group, "inspect", 1024);
        using var consumer = factory.CreateConsumerBuilder(config).Build();
        var partitions = Enumerable.Range(0, 4).Select(p => new TopicPartition(topic, p)).ToList();
        return consumer.Committed(partitions, TimeSpan.FromSeconds(10))
            .Where(c => c.Offset.Value > 0)
            .Sum(c => c.Offset.Value);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
