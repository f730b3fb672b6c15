using System.Collections.Concurrent;
using Gateway.MtaEdge.Queue;

namespace Gateway.MtaEdge.Tests.Queue.Support;

/// <summary>Remembers what the spool handed to delivery.</summary>
public sealed class RecordingScheduler : IDeliveryScheduler
{
    public ConcurrentQueue<(string QueueId, DateTimeOffset DueAt)> Scheduled { get; } = new();

    public void Schedule(string queueId, DateTimeOffset dueAt) => Scheduled.Enqueue((queueId, dueAt));
}
