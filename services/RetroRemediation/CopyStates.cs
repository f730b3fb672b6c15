using Gateway.V1;

namespace Gateway.RetroRemediation;

/// <summary>Copy states beyond the ones <c>gateway.v1.CopyState</c> names so far.</summary>
public static class CopyStates
{
    /// <summary>
    /// We moved the copy to Junk and the user moved it back to the inbox. The user's judgement wins:
    /// no later conviction moves it again, and no reversal needs to. Final.
    /// FIXME: stored as the number 6 until retro_remediation.proto names it
    /// (COPY_STATE_USER_RESTORED = 6); proto3 enums are open, so the value survives storage and gRPC.
    /// </summary>
    public const CopyState UserRestored = (CopyState)6;

    public static string Describe(CopyState state) => state switch
    {
        CopyState.Delivered => "delivered",
        CopyState.MovedToJunk => "moved to Junk",
        CopyState.Restored => "restored",
        CopyState.Failed => "failed",
        CopyState.NotFound => "not found",
        UserRestored => "restored by the user",
        _ => "unknown",
    };
}
