namespace Gateway.RetroRemediation;

/// <summary>How one copy counts in a <c>RemediationSummary</c>.</summary>
public enum CopyOutcome
{
    /// <summary>Moved to Junk or restored.</summary>
    Acted,

    /// <summary>Nothing needed or allowed: already there, not found, left for the user, busy, expired.</summary>
    Skipped,

    /// <summary>The move was wanted but did not happen.</summary>
    Failed,
}
