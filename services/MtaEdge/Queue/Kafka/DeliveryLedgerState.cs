namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>Where one recipient of one queued message stands in the delivery ledger.</summary>
public enum DeliveryLedgerState
{
    /// <summary>This attempt holds the recipient and may deliver it.</summary>
    Claimed,

    /// <summary>
    /// The recipient was held by an attempt that died (its edge stopped heartbeating) and is ours now. That
    /// attempt may have delivered before it died: look in the store before delivering again.
    /// </summary>
    Orphaned,

    /// <summary>Another attempt that is still alive holds it; try again later.</summary>
    Held,

    /// <summary>Delivered already (final).</summary>
    Delivered,

    /// <summary>Failed for good already; the sender was told (final).</summary>
    Failed,
}
