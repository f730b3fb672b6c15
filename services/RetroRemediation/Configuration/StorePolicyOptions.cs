namespace Gateway.RetroRemediation.Configuration;

/// <summary>
/// How remediation treats one kind of mailbox store: the action, how fast and how many at once.
/// Limits are per process; several gateway processes acting on one store each get their own.
/// </summary>
public abstract class StorePolicyOptions
{
    public StoreAction Action { get; set; } = StoreAction.MoveToJunk;

    /// <summary>Act only on copies nobody has read yet (no \Seen); read copies are left and audited.</summary>
    public bool OnlyUnread { get; set; }

    /// <summary>Record what would be done, touch nothing (also settable for all stores at once).</summary>
    public bool DryRun { get; set; }

    /// <summary>Store operations in flight at once (IMAP sessions, HTTP requests, renames).</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Store operations started per second at most; 0 = no limit.</summary>
    public double MaxActionsPerSecond { get; set; }
}
