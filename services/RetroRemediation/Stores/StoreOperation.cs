namespace Gateway.RetroRemediation.Stores;

/// <summary>What a store adapter is asked to do with a copy, for a given <c>StoreAction</c>.</summary>
public enum StoreOperation
{
    /// <summary>Apply the action: move to Junk or quarantine, delete, or flag.</summary>
    Remediate,

    /// <summary>Undo the action: move back to the delivery folder, or remove the flags we added.</summary>
    Undo,

    /// <summary>Say where the copy is now relative to the action, without changing anything.</summary>
    Locate,
}
