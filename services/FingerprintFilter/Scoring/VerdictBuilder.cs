using System.Globalization;
using System.Text;
using Gateway.FingerprintFilter.Configuration;
using Gateway.V1;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Scoring;

/// <summary>
/// Turns an assessment into what the edge does: the SMTP verdict and the X-Spam-* header fields.
/// Spam is refused with <c>550 5.7.1</c> unless a recipient's domain asks to tag; one SMTP reply
/// answers all recipients of a transaction, so a message is refused only when every recipient's
/// domain refuses, and otherwise accepted tagged for all (a refusal would take the mail away from the
/// tagging domain, which asked to get it).
/// </summary>
public sealed class VerdictBuilder
{
    public const string KnownSpamReason = "known-spam";
    public const string TaggedSpamReason = "tagged-spam";
    public const string SuspectReason = "suspect";
    public const string NoMatchReason = "no-match";

    private const int MaxLevelStars = 50;

    private readonly PolicyOptions _policy;
    private readonly ScoringOptions _scoring;

    public VerdictBuilder(IOptions<FingerprintFilterOptions> options)
    {
        _policy = options.Value.Policy;
        _scoring = options.Value.Scoring;
    }

    /// <summary>The policy that applies to a recipient address (its domain's, else the default).</summary>
    public DomainPolicy PolicyFor(string recipient)
    {
        var at = recipient.LastIndexOf('@');
        var domain = at >= 0 ? recipient[(at + 1)..].Trim().TrimEnd('>', '.') : "";
        return _policy.Domains.TryGetValue(domain, out var policy) ? policy : _policy.Default;
    }

    public (Verdict Verdict, IReadOnlyList<HeaderField> Headers) Build(
        ScanAssessment assessment, IReadOnlyCollection<string> recipients)
    {
        if (assessment.Classification == ScanClass.Spam)
        {
            var reject = recipients.Count == 0
                ? _policy.Default == DomainPolicy.Reject
                : recipients.All(r => PolicyFor(r) == DomainPolicy.Reject);
            return reject
                ? (Reject(), [])
                : (Accept(TaggedSpamReason), Headers(assessment));
        }

        var reason = assessment.Classification == ScanClass.Suspect ? SuspectReason : NoMatchReason;
        var headers = _policy.HeadersOnEveryMessage || assessment.Classification == ScanClass.Suspect
            ? Headers(assessment)
            : [];
        return (Accept(reason), headers);
    }

    /// <summary>
    /// X-Spam-Flag (spam only), X-Spam-Status (Yes / Suspect / No, score, required, tests), X-Spam-Score
    /// and X-Spam-Level (one star per point), in the form SpamAssassin made common, so existing Sieve
    /// rules and mail clients file tagged mail without changes.
    /// </summary>
    public IReadOnlyList<HeaderField> Headers(ScanAssessment assessment)
    {
        var score = assessment.Score.ToString("0.0", CultureInfo.InvariantCulture);
        var required = _scoring.SpamScore.ToString("0.0", CultureInfo.InvariantCulture);
        var status = assessment.Classification switch
        {
            ScanClass.Spam => "Yes",
            ScanClass.Suspect => "Suspect",
            _ => "No",
        };
        var tests = string.Join(',', assessment.Reasons.Select(r => ScanRules.TestName(r.Rule)).Distinct());
        var statusValue = new StringBuilder($"{status}, score={score} required={required}");
        statusValue.Append(" tests=").Append(tests.Length == 0 ? "none" : tests);

        var headers = new List<HeaderField>(4);
        if (assessment.Classification == ScanClass.Spam)
        {
            headers.Add(new HeaderField { Name = "X-Spam-Flag", Value = "YES" });
        }

        headers.Add(new HeaderField { Name = "X-Spam-Status", Value = statusValue.ToString() });
        headers.Add(new HeaderField { Name = "X-Spam-Score", Value = score });
        var stars = (int)Math.Clamp(Math.Floor(assessment.Score), 0, MaxLevelStars);
        headers.Add(new HeaderField { Name = "X-Spam-Level", Value = new string('*', stars) });
        return headers;
    }

    public static Verdict Accept(string reason) => new() { Action = Gateway.V1.Action.Accept, Reason = reason };

    // RFC 3463: 5.7.1 "delivery not authorized, message refused" (RFC 5321 section 4.2.3 for 550).
    public static Verdict Reject() => new()
    {
        Action = Gateway.V1.Action.Reject,
        SmtpCode = 550,
        EnhancedCode = "5.7.1",
        Text = "Message content matches known spam",
        Reason = KnownSpamReason,
    };

    // RFC 3463: 4.7.0 "other or undefined security status", transient; the client retries later.
    public static Verdict TempFail(string reason) => new()
    {
        Action = Gateway.V1.Action.Tempfail,
        SmtpCode = 451,
        EnhancedCode = "4.7.0",
        Text = "Content check temporarily unavailable, try again later",
        Reason = reason,
    };
}
