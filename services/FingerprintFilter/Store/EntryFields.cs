namespace Gateway.FingerprintFilter.Store;

/// <summary>Field names of a fingerprint's Redis hash (a stored format: keep them once shipped).</summary>
internal static class EntryFields
{
    public const string Trusted = "trusted";
    public const string TrustedAt = "trusted_at";
    public const string SpamWeight = "spam_w";
    public const string HamWeight = "ham_w";
    public const string CountPrefix = "n:";
    public const string Reports = "reports";
    public const string FirstSeen = "first_seen";
    public const string LastSeen = "last_seen";
    public const string Expires = "expires";
    public const string Source = "source";
    public const string Sequence = "seq";

    /// <summary>
    /// Snapshot of the derived standing (spam|pending|ham|unknown) after the latest report, for readers of Redis.
    /// </summary>
    public const string Standing = "standing";

    /// <summary>Snapshot of the derived confidence (0..1) after the latest report, for readers of Redis.</summary>
    public const string Confidence = "confidence";

    /// <summary>The walking skeleton's single field (spam|ham), read for entries it wrote.</summary>
    public const string LegacyState = "state";
}
