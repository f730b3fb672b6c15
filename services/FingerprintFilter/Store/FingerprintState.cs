namespace Gateway.FingerprintFilter.Store;

/// <summary>What the store knows about a fingerprint. Stored as the lower-case name.</summary>
public enum FingerprintState
{
    /// <summary>Reported as spam: a match convicts (subject to the kind's rule).</summary>
    Spam,

    /// <summary>Reported as ham: a conviction reversed, or content vouched for.</summary>
    Ham,
}
