namespace Gateway.RetroRemediation.Configuration;

/// <summary>The audit log of remediation actions (a bounded Redis list, newest first).</summary>
public sealed class AuditOptions
{
    /// <summary>Entries kept; older ones are trimmed as new ones arrive.</summary>
    public int MaxEntries { get; set; } = 100_000;

    /// <summary>Entries older than this are not returned, and an idle log disappears after it.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}
