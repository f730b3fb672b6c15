using Confluent.Kafka;

namespace Gateway.ClusterCommon.Kafka;

/// <summary>
/// Which offset of each partition may be committed while records are handled out of order: the lowest
/// offset still in progress, or one past the highest finished when none is. A record finishing early never
/// lets the commit pass one that has not finished, which is what keeps consumption at-least-once.
/// Not thread-safe: the consume loop owns it.
/// </summary>
public sealed class PartitionOffsetTracker
{
    private readonly Dictionary<TopicPartition, PartitionState> _partitions = new();

    public int InFlight => _partitions.Values.Sum(p => p.InFlightCount);

    public int InFlightOn(TopicPartition partition) =>
        _partitions.TryGetValue(partition, out var state) ? state.InFlightCount : 0;

    public void Start(TopicPartitionOffset record)
    {
        if (!_partitions.TryGetValue(record.TopicPartition, out var state))
        {
            // The consumer is at this offset already: nothing to commit until a record finishes past it.
            state = new PartitionState { Committable = record.Offset.Value };
            _partitions[record.TopicPartition] = state;
        }

        state.InFlight[record.Offset.Value] = state.InFlight.GetValueOrDefault(record.Offset.Value) + 1;
        state.InFlightCount++;
    }

    /// <summary>
    /// Marks a record finished. Returns the offset to commit (the next one to read) when it moved forward,
    /// else null.
    /// </summary>
    public Offset? Finish(TopicPartitionOffset record)
    {
        if (!_partitions.TryGetValue(record.TopicPartition, out var state)
            || !state.InFlight.TryGetValue(record.Offset.Value, out var count))
        {
            return null;
        }

        if (count == 1)
        {
            state.InFlight.Remove(record.Offset.Value);
        }
        else
        {
            state.InFlight[record.Offset.Value] = count - 1;
        }

        state.InFlightCount--;
        state.HighestFinished = Math.Max(state.HighestFinished, record.Offset.Value);
        var next = state.InFlight.Count > 0 ? state.InFlight.Keys.First() : state.HighestFinished + 1;
        if (next <= state.Committable)
        {
            return null;
        }

        state.Committable = next;
        return new Offset(next);
    }

    /// <summary>Forgets a partition (revoked or lost): its late finishes are no longer ours to commit.</summary>
    public void Forget(TopicPartition partition) => _partitions.Remove(partition);

    private sealed class PartitionState
    {
        public SortedDictionary<long, int> InFlight { get; } = new();

        public int InFlightCount { get; set; }

        public long HighestFinished { get; set; } = -1;

        public long Committable { get; set; } = -1;
    }
}
