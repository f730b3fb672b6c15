namespace Gateway.MtaEdge.Admin;

/// <summary>How an operator's retry or delete of one message ended.</summary>
public enum QueueOperationOutcome
{
    Done,

    /// <summary>No such message in the queue (never was, delivered meanwhile, or deleted).</summary>
    NotFound,

    /// <summary>A delivery attempt holds the message right now; try again in a moment.</summary>
    Busy,
}
