using System.Collections.Concurrent;
using Confluent.Kafka;
using Gateway.ClusterCommon.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Cluster.Tests.Kafka;

/// <summary>A consumer whose handler the test supplies; it records every call.</summary>
public sealed class RecordingConsumer(
    KafkaClientFactory factory,
    string group,
    string topic,
    Func<ConsumeResult<string, byte[]>, int, CancellationToken, Task> handler,
    int concurrency = 4)
    : KafkaConsumerService(factory, NullLogger.Instance, TimeProvider.System)
{
    private readonly ConcurrentDictionary<long, int> _attempts = new();

    public ConcurrentQueue<(long Offset, DateTimeOffset At)> Done { get; } = new();

    public int AttemptsOf(long offset) => _attempts.GetValueOrDefault(offset);

    protected override string GroupId => group;

    protected override IReadOnlyCollection<string> Topics => [topic];

    protected override int Concurrency => concurrency;

    protected override TimeSpan FinishGrace => TimeSpan.FromSeconds(2);

    protected override DateTimeOffset? NotBefore(ConsumeResult<string, byte[]> record) =>
        KafkaHeaders.GetLong(record.Message.Headers, KafkaHeaders.NotBefore) is { } ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    protected override async Task HandleAsync(ConsumeResult<string, byte[]> record, CancellationToken abandon)
    {
        var attempt = _attempts.AddOrUpdate(record.Offset.Value, 1, (_, n) => n + 1);
        await handler(record, attempt, abandon);
        Done.Enqueue((record.Offset.Value, DateTimeOffset.UtcNow));
    }
}
