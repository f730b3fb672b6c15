using Gateway.V1;

namespace Gateway.RetroRemediation;

/// <summary>Words for <c>gateway.v1.CopyState</c> values in logs.</summary>
public static class CopyStates
{
    public static string Describe(CopyState state) => state switch
    {
        CopyState.Delivered => "delivered",
        CopyState.MovedToJunk => "moved to Junk",
        CopyState.Restored => "restored",
        CopyState.Failed => "failed",
        CopyState.NotFound => "not found",
        CopyState.UserRestored => "restored by the user",
        CopyState.Quarantined => "quarantined",
        CopyState.Deleted => "deleted",
        CopyState.Flagged => "flagged",
        _ => "unknown",
    };
}
