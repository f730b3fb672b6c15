namespace Gateway.RetroRemediation.Stores;

/// <summary>Where a copy is now, as far as remediation is concerned.</summary>
public enum CopyPlace
{
    /// <summary>The store could not be asked, or the record cannot be checked safely.</summary>
    Unknown,

    Inbox,

    Junk,

    /// <summary>In neither folder.</summary>
    Elsewhere,
}
