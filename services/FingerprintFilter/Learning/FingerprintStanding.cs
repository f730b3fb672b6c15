namespace Gateway.FingerprintFilter.Learning;

/// <summary>What a fingerprint's entry amounts to.</summary>
public enum FingerprintStanding
{
    /// <summary>Not in the store, expired, or its reports cancel out.</summary>
    Unknown,

    /// <summary>Reported as spam, but not yet with enough weight: counts in proportion to its confidence.</summary>
    Pending,

    /// <summary>
    /// Convicted: a trusted source said spam, or untrusted spam weight reached the conviction weight.
    /// </summary>
    Spam,

    /// <summary>Vouched for: a trusted ham report, or ham weight at least equal to spam weight.</summary>
    Ham,
}
