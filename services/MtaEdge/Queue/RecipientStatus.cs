namespace Gateway.MtaEdge.Queue;

/// <summary>Where one recipient of a queued message stands.</summary>
public enum RecipientStatus
{
    /// <summary>Not delivered yet; will be tried at the message's next attempt.</summary>
    Pending,

    /// <summary>The next hop accepted it (final).</summary>
    Delivered,

    /// <summary>The next hop refused it for good, or it outlived the queue lifetime (final).</summary>
    Failed,
}
