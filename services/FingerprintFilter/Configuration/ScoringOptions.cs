using System.ComponentModel.DataAnnotations;

namespace Gateway.FingerprintFilter.Configuration;

/// <summary>
/// How matches add up (<c>Gateway:Fingerprint:Scoring</c>). Content evidence (exact or fuzzy text)
/// scores up to <see cref="ContentScore"/>; attachments and link domains add supporting points. A
/// message is spam at <see cref="SpamScore"/> with at least <see cref="MinContentScoreForSpam"/> from
/// content, so supporting evidence alone never convicts; suspect at <see cref="SuspectScore"/>.
/// </summary>
public sealed class ScoringOptions
{
    /// <summary>Score of a convicted exact text match, or of a fuzzy match at the match share.</summary>
    [Range(0.1, 1000)]
    public double ContentScore { get; set; } = 10;

    /// <summary>Share of a part's fuzzy components that must agree for a near-duplicate match.</summary>
    [Range(0.01, 1)]
    public double FuzzyMatchShare { get; set; } = 0.25;

    /// <summary>
    /// Below the match share but at least this, the agreement still adds (proportionally) to the score.
    /// </summary>
    [Range(0.01, 1)]
    public double FuzzySuspectShare { get; set; } = 0.125;

    /// <summary>Points per matched attachment digest (a1).</summary>
    [Range(0, 1000)]
    public double AttachmentScore { get; set; } = 2.5;

    /// <summary>Points per matched link domain (u1).</summary>
    [Range(0, 1000)]
    public double UrlDomainScore { get; set; } = 2.5;

    /// <summary>Supporting points (a1 and u1 together) count up to this.</summary>
    [Range(0, 1000)]
    public double MaxSupportingScore { get; set; } = 5;

    [Range(0.1, 10_000)]
    public double SpamScore { get; set; } = 10;

    /// <summary>
    /// Content points a spam verdict needs, whatever the supporting points. At the default (equal to
    /// ContentScore) only a full content match convicts, and supporting points lift partial matches to
    /// suspect: on the corpus, mailing-list ham shares footers and their links with spam sent through
    /// the same lists, so a lower value trades a sliver of recall for a real false-positive risk.
    /// </summary>
    [Range(0, 10_000)]
    public double MinContentScoreForSpam { get; set; } = 10;

    [Range(0.1, 10_000)]
    public double SuspectScore { get; set; } = 5;
}
