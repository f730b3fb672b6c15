namespace Gateway.RetroRemediation;

/// <summary>What an event asks of one copy, given the copy's state.</summary>
public enum CopyStep
{
    /// <summary>
    /// Nothing to do: the copy is already where the event wants it, or is not ours to touch any more.
    /// </summary>
    None,

    /// <summary>Apply the store's configured action (move to Junk or quarantine, delete, flag).</summary>
    Remediate,

    /// <summary>Undo what was done (the action is read from the state, not from today's configuration).</summary>
    Undo,

    /// <summary>
    /// A conviction for a copy we already acted on: never act twice, only look whether the user undid it,
    /// so the record shows they did and no later event touches it.
    /// </summary>
    Locate,

    /// <summary>A reversal for a deleted copy: nothing can bring it back; the audit says so.</summary>
    CannotUndo,
}
