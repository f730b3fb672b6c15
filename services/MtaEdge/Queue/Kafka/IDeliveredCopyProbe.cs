namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>
/// Looks in the mailbox store for a copy an edge may have delivered just before it died. Used only for
/// <see cref="DeliveryLedgerState.Orphaned"/> recipients, where the ledger cannot know whether the dead
/// attempt's delivery landed: the gap between the store's "250" and the ledger's "delivered" mark.
/// </summary>
public interface IDeliveredCopyProbe
{
    Task<CopyProbeResult> FindAsync(QueuedMessage message, string recipient, CancellationToken cancellationToken);
}

/// <summary>What a probe found.</summary>
public enum CopyProbeResult
{
    /// <summary>The store could not be asked, or this store kind cannot be searched: deliver again
    /// (at-least-once).</summary>
    Unknown,

    /// <summary>The copy is there: mark it delivered and do not deliver again.</summary>
    Found,

    /// <summary>The copy is not there: deliver it.</summary>
    NotFound,
}
