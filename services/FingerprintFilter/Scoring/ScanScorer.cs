using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Learning;
using Gateway.FingerprintFilter.Store;
using Gateway.V1;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Scoring;

/// <summary>
/// Turns the store's entries for a message's fingerprints into a classification, a score and reasons.
/// Content evidence is the best of: an exact text match (ContentScore × confidence) and, per text part,
/// the share of fuzzy components that are spam evidence (ContentScore at FuzzyMatchShare, proportionally
/// less down to FuzzySuspectShare, nothing below). Attachments and link domains add supporting points
/// up to MaxSupportingScore, and only beside content evidence. Spam needs SpamScore in total and
/// MinContentScoreForSpam from content, so supporting evidence never convicts alone. Content vouched for
/// (a ham-reported exact text, or a part whose fuzzy components are mostly ham) is clean whatever else
/// matched: reversals win.
/// </summary>
public sealed class ScanScorer
{
    private readonly ScoringOptions _options;
    private readonly FingerprintAssessor _assessor;

    public ScanScorer(IOptions<FingerprintFilterOptions> options, FingerprintAssessor assessor)
    {
        _options = options.Value.Scoring;
        _assessor = assessor;
    }

    public ScanAssessment Score(
        MessageFingerprints message, IReadOnlyDictionary<string, FingerprintEntry> known, DateTimeOffset now)
    {
        var assessed = new Dictionary<string, FingerprintAssessment>(StringComparer.Ordinal);
        foreach (var fingerprint in message.Fingerprints)
        {
            assessed[fingerprint] = _assessor.Assess(known.GetValueOrDefault(fingerprint), now);
        }

        var reasons = new List<MatchReason>();
        var supportingReasons = new List<MatchReason>();
        var vouched = new List<string>();
        double exact = 0, fuzzy = 0, attachments = 0, domains = 0;

        foreach (var (fingerprint, assessment) in assessed)
        {
            var kind = FingerprintKinds.KindOf(fingerprint);
            if (assessment.Standing == FingerprintStanding.Ham && kind == FingerprintKinds.ExactText)
            {
                vouched.Add(fingerprint);
            }

            if (!assessment.IsSpamEvidence)
            {
                continue;
            }

            switch (kind)
            {
                case FingerprintKinds.ExactText:
                    var score = _options.ContentScore * assessment.Confidence;
                    exact = Math.Max(exact, score);
                    reasons.Add(Reason(ScanRules.ExactText, [fingerprint], score, assessment.Confidence,
                        "a text part equals reported spam"));
                    break;
                case FingerprintKinds.Attachment:
                    attachments += _options.AttachmentScore * assessment.Confidence;
                    supportingReasons.Add(Reason(ScanRules.Attachment, [fingerprint],
                        _options.AttachmentScore * assessment.Confidence, assessment.Confidence,
                        "an attachment equals one of reported spam"));
                    break;
                case FingerprintKinds.UrlDomain:
                    domains += _options.UrlDomainScore * assessment.Confidence;
                    supportingReasons.Add(Reason(ScanRules.UrlDomain, [fingerprint],
                        _options.UrlDomainScore * assessment.Confidence, assessment.Confidence,
                        "a link points to a domain of reported spam"));
                    break;
            }
        }

        for (var index = 0; index < message.FuzzyParts.Count; index++)
        {
            var part = message.FuzzyParts[index];
            var components = part.Components;
            var agreeing = components.Where(c => assessed.GetValueOrDefault(c).IsSpamEvidence).ToList();
            var hamShare = components.Count(c => assessed.GetValueOrDefault(c).Standing == FingerprintStanding.Ham)
                / (double)components.Count;
            if (hamShare >= _options.FuzzyMatchShare)
            {
                vouched.AddRange(
                    components.Where(c => assessed.GetValueOrDefault(c).Standing == FingerprintStanding.Ham));
            }

            if (agreeing.Count == 0)
            {
                continue;
            }

            // The share says how alike the texts are; the confidence how sure the store is that the
            // matched content is spam. A near-duplicate of content only pending conviction scores in
            // proportion, like a pending exact match.
            var share = agreeing.Count / (double)components.Count;
            if (share < _options.FuzzySuspectShare)
            {
                continue;
            }

            var confidence = agreeing.Average(c => assessed[c].Confidence);
            var score = _options.ContentScore * Math.Min(1, share / _options.FuzzyMatchShare) * confidence;
            fuzzy = Math.Max(fuzzy, score);
            var reason = Reason(ScanRules.FuzzyText, agreeing, score, confidence,
                $"{agreeing.Count} of {components.Count} fuzzy components of text part {index + 1} agree");
            reason.Share = Math.Round(share, 4);
            reasons.Add(reason);
        }

        var matched = message.Fingerprints.Where(fp => assessed[fp].IsSpamEvidence).ToList();
        if (vouched.Count > 0)
        {
            reasons.Clear();
            reasons.Add(Reason(ScanRules.Vouched, vouched.Distinct().ToList(), 0, 0,
                "the content was reported as legitimate"));
            return new ScanAssessment(ScanClass.Clean, 0, 0, reasons, matched);
        }

        // Supporting points count only beside some content evidence: on their own, shared logos and
        // big sites' domains would make every newsletter suspect.
        var content = Math.Max(exact, fuzzy);
        var supporting = content > 0 ? Math.Min(_options.MaxSupportingScore, attachments + domains) : 0;
        foreach (var reason in supportingReasons.Where(_ => content == 0))
        {
            reason.Score = 0;
            reason.Detail += "; counts only beside text evidence";
        }

        // Content reasons first (exact, then fuzzy), supporting ones after: the order X-Spam-Status lists.
        reasons.AddRange(supportingReasons);

        var total = content + supporting;
        var classification = total >= _options.SpamScore && content >= _options.MinContentScoreForSpam
            ? ScanClass.Spam
            : total >= _options.SuspectScore ? ScanClass.Suspect : ScanClass.Clean;
        return new ScanAssessment(classification, Math.Round(total, 2), content, reasons, matched);
    }

    private static MatchReason Reason(
        string rule, IReadOnlyList<string> fingerprints, double score, double confidence, string detail) => new()
    {
        Rule = rule,
        Fingerprints = { fingerprints },
        Score = Math.Round(score, 2),
        Confidence = Math.Round(confidence, 3),
        Detail = detail,
    };
}
