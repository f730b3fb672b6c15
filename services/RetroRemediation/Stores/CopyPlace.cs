namespace Gateway.RetroRemediation.Stores;

/// <summary>Where a copy we acted on is now, as far as remediation is concerned.</summary>
public enum CopyPlace
{
    /// <summary>The store could not be asked, or the record cannot be checked safely.</summary>
    Unknown,

    /// <summary>Back where it was delivered, unflagged: the user undid our action.</summary>
    Inbox,

    /// <summary>Still as we left it (in Junk or quarantine, or still flagged).</summary>
    Remediated,

    /// <summary>In neither place: deleted or filed elsewhere by the user.</summary>
    Elsewhere,
}
