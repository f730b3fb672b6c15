namespace Gateway.RetroRemediation.Stores;

/// <summary>What a store adapter found and did.</summary>
public enum StoreActionStatus
{
    /// <summary>Done as asked (moved, deleted, flagged, moved back, unflagged; for Locate: looked).</summary>
    Done,

    /// <summary>Already as asked (moved earlier, or by the user): nothing done.</summary>
    AlreadyDone,

    /// <summary>
    /// The copy is not where the operation starts nor where it ends: the user deleted or filed it. Left alone.
    /// </summary>
    NotFound,

    /// <summary>Only unread copies are remediated, and this one has been read. Left alone.</summary>
    SkippedRead,

    /// <summary>
    /// The record cannot be acted on safely, now or later (a location outside the mail store, a
    /// symbolic link, no Message-ID). Permanent.
    /// </summary>
    Refused,

    /// <summary>The store could not be reached or refused the operation; the action is retried later.</summary>
    Failed,
}
