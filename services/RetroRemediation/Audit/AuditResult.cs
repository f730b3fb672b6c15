namespace Gateway.RetroRemediation.Audit;

/// <summary>How an action ended. The numbers are stored in the cache (4 bits): never renumber.</summary>
public enum AuditResult : byte
{
    None = 0,
    Done = 1,
    AlreadyDone = 2,
    NotFound = 3,
    SkippedRead = 4,
    Refused = 5,

    /// <summary>The store failed; the action stays in the pending list and is retried.</summary>
    Retrying = 6,
    DryRun = 7,
    Exempt = 8,
    CannotUndo = 9,

    /// <summary>The copy left the window before its store came back.</summary>
    GaveUp = 10,
    Inbox = 11,
    Remediated = 12,
    Elsewhere = 13,
    Unknown = 14,
    Failed = 15,
}
