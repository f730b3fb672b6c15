using Confluent.Kafka;
using Gateway.ClusterCommon.Kafka;
using Gateway.MtaEdge.Delivery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>
/// Delivery in cluster mode: every edge joins one consumer group over the queue topic and the delay topics,
/// so each accepted message is delivered by whichever edge owns its partition, and a dead edge's partitions
/// pass to the others after the session timeout. At-least-once: an offset is stored only after
/// <see cref="KafkaDeliveryHandler"/> made the attempt's outcome durable; the ledger turns the resulting
/// re-reads into no-ops.
/// </summary>
public sealed class KafkaDeliveryConsumer : KafkaConsumerService
{
    private readonly KafkaDeliveryHandler _handler;
    private readonly DeliveryOwner _owner;
    private readonly KafkaDeliveryOptions _kafkaOptions;
    private readonly DeliveryOptions _deliveryOptions;
    private readonly DelayLadder _ladder;
    private readonly KafkaRecordLimit _limit;
    private readonly string[] _topics;

    public KafkaDeliveryConsumer(
        KafkaClientFactory factory,
        KafkaDeliveryHandler handler,
        DeliveryOwner owner,
        KafkaTopics topics,
        DelayLadder ladder,
        KafkaRecordLimit limit,
        IOptions<KafkaDeliveryOptions> kafkaOptions,
        IOptions<DeliveryOptions> deliveryOptions,
        TimeProvider time,
        ILogger<KafkaDeliveryConsumer> logger)
        : base(factory, logger, time)
    {
        _handler = handler;
        _owner = owner;
        _kafkaOptions = kafkaOptions.Value;
        _deliveryOptions = deliveryOptions.Value;
        _ladder = ladder;
        _limit = limit;
        _topics = [topics.Queue, .. ladder.Topics];
    }

    protected override string GroupId => _kafkaOptions.ConsumerGroup;

    protected override IReadOnlyCollection<string> Topics => _topics;

    protected override int Concurrency => _deliveryOptions.Concurrency;

    protected override int MaxValueBytes => _limit.ValueBytes;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Alive before the first claim, so no other edge ever mistakes our fresh claims for orphans. Without
        // Redis there is no claiming either; the handler retries until it is back.
        try
        {
            await _owner.BeatAsync();
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            KafkaQueueLog.HeartbeatFailed(Logger, _owner.Id, ex);
        }

        KafkaQueueLog.Started(Logger, _handler.TargetDescription, _owner.Id,
            string.Join(", ", _ladder.Delays.Select(d => $"{d.TotalSeconds:0.###}s")));
        await base.StartAsync(cancellationToken);
    }

    protected override DateTimeOffset? NotBefore(ConsumeResult<string, byte[]> record) =>
        KafkaHeaders.GetLong(record.Message.Headers, KafkaHeaders.NotBefore) is { } ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    protected override Task HandleAsync(ConsumeResult<string, byte[]> record, CancellationToken abandon) =>
        _handler.HandleAsync(record, abandon);
}
