using Gateway.ClusterCommon.Kafka;
using Gateway.ClusterCommon.Telemetry;
using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>
/// The edge's queue in cluster mode: <see cref="StoreAsync"/> writes the message to the queue topic and
/// returns only after the broker acknowledged it with acks=all from an idempotent producer, so by the time
/// the client hears 250 the message is on every in-sync replica and any edge can deliver it.
/// </summary>
public sealed class KafkaMessageSpool : IMessageSpool
{
    private readonly KafkaEventProducer _producer;
    private readonly KafkaTopics _topics;
    private readonly ReputationOutcomePublisher _outcomes;
    private readonly KafkaQueueIndex _index;
    private readonly TimeProvider _time;
    private readonly ILogger<KafkaMessageSpool> _logger;

    public KafkaMessageSpool(
        KafkaEventProducer producer,
        KafkaTopics topics,
        ReputationOutcomePublisher outcomes,
        KafkaQueueIndex index,
        TimeProvider time,
        ILogger<KafkaMessageSpool> logger)
    {
        _producer = producer;
        _topics = topics;
        _outcomes = outcomes;
        _index = index;
        _time = time;
        _logger = logger;
    }

    public string NewQueueId() => QueueIdGenerator.Next();

    public async Task StoreAsync(QueuedMessage message, ReadOnlyMemory<byte> content,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!FileMessageSpool.IsSafeQueueId(message.QueueId))
        {
            throw new ArgumentException($"Queue id '{message.QueueId}' is malformed.", nameof(message));
        }

        if (message.Recipients is not { Count: > 0 } || message.Recipients.Any(r => string.IsNullOrEmpty(r?.Address)))
        {
            throw new ArgumentException("A queued message needs at least one recipient address.", nameof(message));
        }

        var now = _time.GetUtcNow();
        message.Size = content.Length;
        var mail = QueuedMailConverter.ToMail(message, content.Span);
        if (message.ReceivedAt == default)
        {
            mail.ReceivedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(now);
        }

        // The 250 waits for this: acks=all, idempotent producer. A failure or timeout throws, and the client
        // hears 4xx and keeps its copy (the record may still have been written; then it is delivered once and
        // the client's retry becomes a second message, the usual SMTP duplicate of RFC 1047).
        using var trace = MessageTrace.Begin(message.QueueId);
        var location = await _producer.ProduceAsync(_topics.Queue, message.QueueId, mail, cancellationToken);
        KafkaQueueLog.Queued(_logger, message.QueueId, message.Recipients.Count, message.Size);

        // Listed for the admin API; advisory, so a Redis problem costs at most a short wait, never the 250.
        await _index.RecordAcceptedAsync(message, location);
        _outcomes.Accepted(message);
    }
}
