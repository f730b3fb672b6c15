namespace Gateway.FingerprintFilter.Learning;

/// <summary>A fingerprint's standing and how sure the store is that it is spam (0..1).</summary>
public readonly record struct FingerprintAssessment(FingerprintStanding Standing, double Confidence)
{
    public static FingerprintAssessment Unknown { get; } = new(FingerprintStanding.Unknown, 0);

    /// <summary>Whether the fingerprint counts as spam evidence (convicted or pending).</summary>
    public bool IsSpamEvidence => Standing is FingerprintStanding.Spam or FingerprintStanding.Pending;
}
