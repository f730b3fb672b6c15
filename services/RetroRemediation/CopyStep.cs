namespace Gateway.RetroRemediation;

/// <summary>What an event asks of one copy, given the copy's state.</summary>
public enum CopyStep
{
    /// <summary>Nothing to do: the copy is already where the event wants it, or is not ours to move any more.</summary>
    None,

    MoveToJunk,

    Restore,

    /// <summary>
    /// A conviction for a copy we already moved: never move it twice, only look whether the user moved
    /// it back, so the record shows they did and no later event moves it.
    /// </summary>
    CheckUserRestored,
}
