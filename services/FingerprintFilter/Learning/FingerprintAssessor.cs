using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Store;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Learning;

/// <summary>
/// Derives a fingerprint's standing from its stored facts. A trusted decision (admin, trap) wins.
/// Otherwise: ham weight at least equal to spam weight vouches for the content; spam weight at the
/// conviction weight convicts (confidence 1); below it the content is pending, with confidence
/// (spam − ham) / conviction weight. A conviction is reversed only by as much ham weight as spam
/// weight convicted it, so one low-trust ham report (a spammer's own seed account) cannot undo what
/// several reporters agreed on.
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

        if (entry.HamWeight > 0 && entry.HamWeight >= entry.SpamWeight - Tolerance)
        {
            return new FingerprintAssessment(FingerprintStanding.Ham, 0);
        }

        if (entry.SpamWeight >= _convictionWeight - Tolerance)
        {
            return new FingerprintAssessment(FingerprintStanding.Spam, 1);
        }

        var confidence = Math.Clamp((entry.SpamWeight - entry.HamWeight) / _convictionWeight, 0, 1);

        return confidence > 0
            ? new FingerprintAssessment(FingerprintStanding.Pending, confidence)
            : FingerprintAssessment.Unknown;
    }
}
