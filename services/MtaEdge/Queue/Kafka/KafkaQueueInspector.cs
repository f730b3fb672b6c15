using Confluent.Kafka;
using Gateway.ClusterCommon.Kafka;
using Gateway.V1;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>
/// The queue as the delivery group sees it: records written but not yet committed on the queue and delay
/// topics. That counts messages (and retry records) waiting, not recipients; the age of the oldest is not known
/// without reading it and is reported as zero.
/// </summary>
public sealed class KafkaQueueInspector : IQueueInspector, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly IConsumer<string, byte[]> _consumer;
    private readonly string[] _topics;
    private readonly Lock _gate = new();

    public KafkaQueueInspector(
        KafkaClientFactory factory, KafkaTopics topics, DelayLadder ladder, IOptions<KafkaDeliveryOptions> options)
    {
        // Never subscribes, so it never joins the group; it only reads the group's committed offsets.
        var config = factory.CreateConsumerConfig(options.Value.ConsumerGroup, "gateway-queue-inspector", 1024);
        config.EnableAutoCommit = false;
        _consumer = factory.CreateConsumerBuilder(config).Build();
        _topics = [topics.Queue, .. ladder.Topics];
    }

    public QueueStatus GetStatus()
    {
        lock (_gate)
        {
            using var admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
            var metadata = admin.GetMetadata(Timeout);
            var partitions = metadata.Topics
                .Where(t => _topics.Contains(t.Topic, StringComparer.Ordinal))
                .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)))
                .ToList();
            var committed = _consumer.Committed(partitions, Timeout)
                .ToDictionary(c => c.TopicPartition, c => c.Offset);
            long waiting = 0;
            foreach (var partition in partitions)
            {
                var marks = _consumer.QueryWatermarkOffsets(partition, Timeout);
                var from = committed.TryGetValue(partition, out var offset) && offset != Offset.Unset
                    ? offset.Value
                    : marks.Low.Value;
                waiting += Math.Max(0, marks.High.Value - Math.Max(from, marks.Low.Value));
            }

            return new QueueStatus { Messages = (int)Math.Min(int.MaxValue, waiting) };
        }
    }

    public void Dispose() => _consumer.Dispose();
}
