namespace Gateway.AdminApi;

/// <summary>How an operator's retry or delete of one queued message ended.</summary>
public enum QueueActionOutcome
{
    Done,

    /// <summary>No such message in the queue (never was, delivered meanwhile, or deleted).</summary>
    NotFound,

    /// <summary>A delivery attempt holds the message right now; try again in a moment.</summary>
    Busy,

    /// <summary>The queue's backing store could not do it now (cluster: the record could not be read back).</summary>
    Unavailable,
}
