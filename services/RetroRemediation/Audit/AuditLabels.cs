namespace Gateway.RetroRemediation.Audit;

/// <summary>Labels of actions and results, shared by the audit log, metrics and last-action words.</summary>
public static class AuditLabels
{
    public static string Action(AuditAction action) => action switch
    {
        AuditAction.MoveToJunk => "move_to_junk",
        AuditAction.MoveToQuarantine => "move_to_quarantine",
        AuditAction.Delete => "delete",
        AuditAction.Flag => "flag",
        AuditAction.Restore => "restore",
        AuditAction.Unflag => "unflag",
        AuditAction.Locate => "locate",
        AuditAction.Skip => "skip",
        _ => "none",
    };

    public static string Result(AuditResult result) => result switch
    {
        AuditResult.Done => "done",
        AuditResult.AlreadyDone => "already_done",
        AuditResult.NotFound => "not_found",
        AuditResult.SkippedRead => "skipped_read",
        AuditResult.Refused => "refused",
        AuditResult.Retrying => "retrying",
        AuditResult.DryRun => "dry_run",
        AuditResult.Exempt => "exempt",
        AuditResult.CannotUndo => "cannot_undo",
        AuditResult.GaveUp => "gave_up",
        AuditResult.Inbox => "inbox",
        AuditResult.Remediated => "remediated",
        AuditResult.Elsewhere => "elsewhere",
        AuditResult.Unknown => "unknown",
        AuditResult.Failed => "failed",
        _ => "none",
    };

    /// <summary>Words for DeliveredCopy.last_action, e.g. "move to Junk: done".</summary>
    public static string Words(AuditAction action, AuditResult result) =>
        action == AuditAction.None
            ? "recorded"
            : $"{Action(action).Replace('_', ' ')}: {Result(result).Replace('_', ' ')}";
}
