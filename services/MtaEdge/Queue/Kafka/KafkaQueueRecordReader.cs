using Confluent.Kafka;
using Gateway.ClusterCommon.Kafka;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>
/// Reads one queue or retry record back by its topic/partition/offset, for "retry now". The index points at a
/// message's newest record, which the delivery group has not consumed yet (it is still waiting on its delay
/// topic, or on the queue topic before the first attempt), so it is within the topic's retention whenever the
/// queue itself works.
/// </summary>
public sealed class KafkaQueueRecordReader : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly IConsumer<string, byte[]> _consumer;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public KafkaQueueRecordReader(KafkaClientFactory factory, KafkaRecordLimit limit,
        IOptions<KafkaDeliveryOptions> options)
    {
        // Assigned partitions only, never subscribed and never committing: it does not join or disturb the
        // delivery group.
        var config = factory.CreateConsumerConfig(options.Value.ConsumerGroup + "-reader", "gateway-queue-reader",
            limit.ValueBytes);
        config.EnableAutoCommit = false;
        _consumer = factory.CreateConsumerBuilder(config).Build();
    }

    /// <summary>The record at <paramref name="location"/>, or null when it cannot be read (gone, not a
    /// QueuedMail, or the broker did not answer in time).</summary>
    public async Task<QueuedMail?> ReadAsync(TopicPartitionOffset location, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => Read(location), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private QueuedMail? Read(TopicPartitionOffset location)
    {
        _consumer.Assign(location);
        try
        {
            var deadline = DateTime.UtcNow + ReadTimeout;
            while (DateTime.UtcNow < deadline)
            {
                var record = _consumer.Consume(TimeSpan.FromMilliseconds(500));
                if (record is null || record.IsPartitionEOF)
                {
                    continue;
                }

                if (record.Offset != location.Offset)
                {
                    // The record is gone (retention) and the consumer skipped ahead.
                    return null;
                }

                return QueuedMail.Parser.ParseFrom(record.Message.Value ?? []);
            }

            return null;
        }
        catch (Exception ex) when (ex is KafkaException or InvalidProtocolBufferException)
        {
            return null;
        }
        finally
        {
            _consumer.Unassign();
        }
    }

    public void Dispose()
    {
        _consumer.Dispose();
        _gate.Dispose();
    }
}
