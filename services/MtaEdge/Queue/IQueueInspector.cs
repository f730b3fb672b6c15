using Gateway.V1;

namespace Gateway.MtaEdge.Queue;

/// <summary>A read-only view of the queue for the admin API and metrics.</summary>
public interface IQueueInspector
{
    /// <summary>Messages queued now, their recipients still to deliver and the age of the oldest.</summary>
    QueueStatus GetStatus();
}
