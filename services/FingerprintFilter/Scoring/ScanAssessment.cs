using Gateway.V1;

namespace Gateway.FingerprintFilter.Scoring;

/// <summary>What the store's knowledge says about one message.</summary>
/// <param name="ContentScore">The part of the score from exact and fuzzy text evidence.</param>
/// <param name="Matched">Fingerprints that count as spam evidence (convicted or pending).</param>
public sealed record ScanAssessment(
    ScanClass Classification,
    double Score,
    double ContentScore,
    IReadOnlyList<MatchReason> Reasons,
    IReadOnlyList<string> Matched);
