using Confluent.Kafka;

namespace Gateway.Cluster.Tests.Support;

/// <summary>Reads a topic from its start with a throwaway consumer group, for tests that check what was written.</summary>
public static class TopicRecords
{
    /// <summary>
    /// Up to <paramref name="count"/> records (waiting at most 20 s), in offset order. With
    /// <paramref name="lookForExtra"/>, waits a little longer for one more, so a test can see an unexpected extra.
    /// </summary>
    public static List<ConsumeResult<string, byte[]>> Read(
        string bootstrapServers, string topic, int count, bool lookForExtra = false)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "read-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } record)
            {
                records.Add(record);
            }
        }

        if (lookForExtra && consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message: not null } extra)
        {
            records.Add(extra);
        }

        consumer.Close();
        return records.OrderBy(r => r.Offset.Value).ToList();
    }
}
