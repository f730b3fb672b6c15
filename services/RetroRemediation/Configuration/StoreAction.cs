namespace Gateway.RetroRemediation.Configuration;

/// <summary>What remediation does to a convicted copy in one kind of mailbox store.</summary>
public enum StoreAction
{
    /// <summary>Move it to the Junk folder; a reversal moves it back.</summary>
    MoveToJunk,

    /// <summary>Move it to <c>QuarantineFolder</c>; a reversal moves it back.</summary>
    MoveToQuarantine,

    /// <summary>Delete it. Cannot be undone: a reversal only records that it could not.</summary>
    Delete,

    /// <summary>Leave it in place, flagged \Flagged and $Junk (RFC 5788); a reversal removes what we added.</summary>
    Flag,
}
