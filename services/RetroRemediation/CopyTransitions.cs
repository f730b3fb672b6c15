using Gateway.RetroRemediation.Configuration;
using Gateway.RetroRemediation.Stores;
using Gateway.V1;

namespace Gateway.RetroRemediation;

/// <summary>
/// The state machine of a delivered copy, in one place:
/// <code>
/// DELIVERED ─convict─▶ MOVED_TO_JUNK | QUARANTINED | FLAGGED ─reverse─▶ RESTORED ─convict─▶ …
///                  └─▶ DELETED (a reversal cannot undo it)
///           acted-on copy, user undid it (seen on a later event) ─▶ USER_RESTORED (final)
/// </code>
/// NOT_FOUND (the user deleted or filed the copy) and FAILED (the record cannot be acted on safely)
/// are final too. A store failure leaves the state as it was; the action is retried from the pending list.
/// </summary>
public static class CopyTransitions
{
    public static CopyStep StepFor(CopyState state, FingerprintEventKind kind) => (kind, state) switch
    {
        (FingerprintEventKind.Convicted, CopyState.Delivered or CopyState.Restored) => CopyStep.Remediate,
        (FingerprintEventKind.Convicted, CopyState.MovedToJunk or CopyState.Quarantined or CopyState.Flagged) =>
            CopyStep.Locate,
        (FingerprintEventKind.Reversed, CopyState.MovedToJunk or CopyState.Quarantined or CopyState.Flagged) =>
            CopyStep.Undo,
        (FingerprintEventKind.Reversed, CopyState.Deleted) => CopyStep.CannotUndo,
        _ => CopyStep.None,
    };

    /// <summary>The action a remediated state stands for (what an undo or a locate is about).</summary>
    public static StoreAction ActionOf(CopyState state) => state switch
    {
        CopyState.Quarantined => StoreAction.MoveToQuarantine,
        CopyState.Flagged => StoreAction.Flag,
        CopyState.Deleted => StoreAction.Delete,
        _ => StoreAction.MoveToJunk,
    };

    public static CopyState StateOf(StoreAction action) => action switch
    {
        StoreAction.MoveToQuarantine => CopyState.Quarantined,
        StoreAction.Flag => CopyState.Flagged,
        StoreAction.Delete => CopyState.Deleted,
        _ => CopyState.MovedToJunk,
    };

    /// <summary>The state after a remediation or an undo ended with <paramref name="status"/>.</summary>
    public static CopyState After(CopyStep step, CopyState current, StoreAction action, StoreActionStatus status) =>
        (step, status) switch
        {
            (CopyStep.Remediate, StoreActionStatus.Done or StoreActionStatus.AlreadyDone) => StateOf(action),
            (CopyStep.Undo, StoreActionStatus.Done) => CopyState.Restored,

            // Already back although we left it remediated: the user took it back first.
            (CopyStep.Undo, StoreActionStatus.AlreadyDone) => CopyState.UserRestored,
            (_, StoreActionStatus.NotFound) => CopyState.NotFound,
            (_, StoreActionStatus.Refused) => CopyState.Failed,
            _ => current,
        };

    /// <summary>The state after checking where a copy we acted on is now.</summary>
    public static CopyState AfterLocate(CopyState current, CopyPlace place) => place switch
    {
        CopyPlace.Inbox => CopyState.UserRestored,
        CopyPlace.Elsewhere => CopyState.NotFound,
        _ => current,
    };
}
