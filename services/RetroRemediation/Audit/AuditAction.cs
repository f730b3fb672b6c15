namespace Gateway.RetroRemediation.Audit;

/// <summary>What was done or tried on a copy. The numbers are stored in the cache (4 bits): never renumber.</summary>
public enum AuditAction : byte
{
    None = 0,
    MoveToJunk = 1,
    MoveToQuarantine = 2,
    Delete = 3,
    Flag = 4,

    /// <summary>Undo of a move: back to the folder it was delivered to.</summary>
    Restore = 5,

    /// <summary>Undo of <see cref="Flag"/>: the flags we added are removed.</summary>
    Unflag = 6,

    /// <summary>Looking where a copy we acted on is now (did the user take it back?).</summary>
    Locate = 7,

    /// <summary>Deliberately not acted on (exempt, dry run, cannot undo, gave up).</summary>
    Skip = 8,
}
