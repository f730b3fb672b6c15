namespace Gateway.MtaEdge.Queue;

/// <summary>Where the spool hands messages that are ready for (another) delivery attempt.</summary>
public interface IDeliveryScheduler
{
    /// <summary>Asks for an attempt at <paramref name="dueAt"/>; a later call for the same id replaces it.</summary>
    void Schedule(string queueId, DateTimeOffset dueAt);
}
