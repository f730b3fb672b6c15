using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Store;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Learning;

/// <summary>
/// Derives a fingerprint's standing from its stored facts. A trusted decision (admin, trap) wins;
/// otherwise spam weight minus ham weight, over the conviction weight, is the confidence, and a
/// confidence of 1 convicts. Ham weight at least equal to spam weight vouches for the content.
/// </summary>
public sealed class FingerprintAssessor(IOptions<FingerprintFilterOptions> options)
{
    // Weights are summed floating-point values; a sum meant to reach the threshold may land a hair below.
    private const double Tolerance = 1e-9;

    private readonly double _convictionWeight = options.Value.Learning.ConvictionWeight;

    public FingerprintAssessment Assess(FingerprintEntry? entry, DateTimeOffset now)
    {
        if (entry is null || entry.ExpiresAt <= now)
        {
            return FingerprintAssessment.Unknown;
        }

        switch (entry.Trusted)
        {
            case FingerprintState.Spam:
                return new FingerprintAssessment(FingerprintStanding.Spam, 1);
            case FingerprintState.Ham:
                return new FingerprintAssessment(FingerprintStanding.Ham, 0);
        }

        if (entry.HamWeight > 0 && entry.HamWeight >= entry.SpamWeight)
        {
            return new FingerprintAssessment(FingerprintStanding.Ham, 0);
        }

        var confidence = Math.Clamp((entry.SpamWeight - entry.HamWeight) / _convictionWeight, 0, 1);
        if (confidence >= 1 - Tolerance)
        {
            return new FingerprintAssessment(FingerprintStanding.Spam, 1);
        }

        return confidence > 0
            ? new FingerprintAssessment(FingerprintStanding.Pending, confidence)
            : FingerprintAssessment.Unknown;
    }
}
