namespace Gateway.FingerprintFilter.Store;

/// <summary>One report as the store records it, already weighed.</summary>
/// <param name="SourceClass">Counted under this class: "admin", "trap", "abuse", "user", "peer:x", "other".</param>
/// <param name="Reporter">Who reported (each reporter's weight counts once per fingerprint).</param>
/// <param name="Trusted">A trusted source decides at once; its weight is ignored.</param>
/// <param name="Weight">What an untrusted report adds to the spam or ham weight.</param>
/// <param name="Source">The full source string, kept as the latest source.</param>
/// <param name="Ttl">The fingerprint is forgotten this long after this report unless reported again.</param>
public sealed record StoreReport(
    IReadOnlyList<string> Fingerprints,
    FingerprintState Verdict,
    string SourceClass,
    string Reporter,
    bool Trusted,
    double Weight,
    string Source,
    TimeSpan Ttl);
