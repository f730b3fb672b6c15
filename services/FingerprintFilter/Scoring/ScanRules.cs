namespace Gateway.FingerprintFilter.Scoring;

/// <summary>
/// The rule names a scan reports in <c>MatchReason.rule</c> and X-Spam-Status (a contract: keep them).
/// </summary>
public static class ScanRules
{
    public const string ExactText = "exact-text";
    public const string FuzzyText = "fuzzy-text";
    public const string Attachment = "attachment";
    public const string UrlDomain = "url-domain";
    public const string Vouched = "vouched";

    /// <summary>The SpamAssassin-style test name for X-Spam-Status (e.g. FP_FUZZY_TEXT).</summary>
    public static string TestName(string rule) => "FP_" + rule.Replace('-', '_').ToUpperInvariant();
}
