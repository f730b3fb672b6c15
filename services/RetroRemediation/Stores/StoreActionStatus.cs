namespace Gateway.RetroRemediation.Stores;

/// <summary>What a store adapter found and did when asked to move one copy.</summary>
public enum StoreActionStatus
{
    /// <summary>The copy was in the source folder and now is in the target folder.</summary>
    Moved,

    /// <summary>The copy was already in the target folder (moved earlier, or by the user); nothing done.</summary>
    AlreadyThere,

    /// <summary>The copy is in neither folder: the user deleted it or filed it elsewhere. Left alone.</summary>
    NotFound,

    /// <summary>
    /// The record cannot be acted on safely, now or later (a location outside the mail store, a
    /// symbolic link, no Message-ID). Permanent.
    /// </summary>
    Refused,

    /// <summary>The store could not be reached or refused the operation; a later event may retry.</summary>
    Failed,
}
