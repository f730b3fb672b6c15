namespace Gateway.FingerprintFilter.Store;

/// <summary>The verdict of one report, and of a trusted source's decision on a fingerprint.</summary>
public enum FingerprintState
{
    /// <summary>Reported as spam.</summary>
    Spam,

    /// <summary>Reported as ham: reverses a conviction, vouches for the content.</summary>
    Ham,
}
