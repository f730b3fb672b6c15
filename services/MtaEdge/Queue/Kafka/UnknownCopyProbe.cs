namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>The probe for stores that cannot be searched: always "unknown", so orphaned recipients are delivered
/// again.</summary>
public sealed class UnknownCopyProbe : IDeliveredCopyProbe
{
    public Task<CopyProbeResult> FindAsync(QueuedMessage message, string recipient,
        CancellationToken cancellationToken) =>
        Task.FromResult(CopyProbeResult.Unknown);
}
