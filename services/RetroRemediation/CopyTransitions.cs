using Gateway.RetroRemediation.Stores;
using Gateway.V1;

namespace Gateway.RetroRemediation;

/// <summary>
/// The state machine of a delivered copy, in one place:
/// <code>
/// DELIVERED ─convict─▶ MOVED_TO_JUNK ─reverse─▶ RESTORED ─convict─▶ MOVED_TO_JUNK …
///                              │ user moved it back (seen on a later event)
///                              ▼
///                        USER_RESTORED (final)
/// </code>
/// NOT_FOUND (the user deleted or filed the copy) and FAILED (the record cannot be acted on safely)
/// are final too. A transient store failure leaves the state as it was, so a later event retries.
/// </summary>
public static class CopyTransitions
{
    public static CopyStep StepFor(CopyState state, FingerprintEventKind kind) => (kind, state) switch
    {
        (FingerprintEventKind.Convicted, CopyState.Delivered or CopyState.Restored) => CopyStep.MoveToJunk,
        (FingerprintEventKind.Convicted, CopyState.MovedToJunk) => CopyStep.CheckUserRestored,
        (FingerprintEventKind.Reversed, CopyState.MovedToJunk) => CopyStep.Restore,
        _ => CopyStep.None,
    };

    /// <summary>The state after a move to Junk or a restore ended with <paramref name="status"/>.</summary>
    public static CopyState After(CopyStep step, CopyState current, StoreActionStatus status) => (step, status) switch
    {
        (CopyStep.MoveToJunk, StoreActionStatus.Moved or StoreActionStatus.AlreadyThere) => CopyState.MovedToJunk,
        (CopyStep.Restore, StoreActionStatus.Moved) => CopyState.Restored,

        // Already in the inbox although we left it in Junk: the user took it back first.
        (CopyStep.Restore, StoreActionStatus.AlreadyThere) => CopyState.UserRestored,
        (_, StoreActionStatus.NotFound) => CopyState.NotFound,
        (_, StoreActionStatus.Refused) => CopyState.Failed,
        _ => current,
    };

    /// <summary>The state after checking where a copy we moved to Junk is now.</summary>
    public static CopyState AfterCheck(CopyState current, CopyPlace place) => place switch
    {
        CopyPlace.Inbox => CopyState.UserRestored,
        CopyPlace.Elsewhere => CopyState.NotFound,
        _ => current,
    };
}
