namespace Gateway.FingerprintFilter.Learning;

/// <summary>
/// Who made a report, parsed from <c>ReportRequest.source</c>: <c>admin</c> or <c>admin:&lt;name&gt;</c>
/// and <c>trap:&lt;address&gt;</c> are trusted; <c>abuse:&lt;reporter&gt;</c> and <c>user:&lt;id&gt;</c> are
/// reporters with a record; <c>peer:&lt;site&gt;</c> is another site; anything else is an unknown
/// reporter named by the whole string.
/// </summary>
/// <param name="Class">The class reports are counted under: admin, trap, abuse, user, peer:&lt;site&gt;, other.</param>
/// <param name="Reporter">The identity whose record the report is weighed by (lower case).</param>
/// <param name="Trusted">Decides at once, whatever the weights.</param>
/// <param name="PeerSite">The peer's site id for peer reports.</param>
public sealed record ReportSource(string Class, string Reporter, bool Trusted, string? PeerSite)
{
    public const int MaxChars = 320;

    public static ReportSource Parse(string? source)
    {
        var text = string.IsNullOrWhiteSpace(source) ? "unspecified" : source.Trim();
        if (text.Length > MaxChars)
        {
            text = text[..MaxChars];
        }

        var colon = text.IndexOf(':');
        var prefix = (colon < 0 ? text : text[..colon]).ToLowerInvariant();
        var rest = colon < 0 ? "" : text[(colon + 1)..].Trim().ToLowerInvariant();
        return prefix switch
        {
            "admin" => new ReportSource("admin", rest.Length == 0 ? "admin" : "admin:" + rest, true, null),
            "trap" when rest.Length > 0 => new ReportSource("trap", "trap:" + rest, true, null),
            "abuse" when rest.Length > 0 => new ReportSource("abuse", "abuse:" + rest, false, null),
            "user" when rest.Length > 0 => new ReportSource("user", "user:" + rest, false, null),
            "peer" when rest.Length > 0 => new ReportSource("peer:" + rest, "peer:" + rest, false, rest),
            _ => new ReportSource("other", text.ToLowerInvariant(), false, null),
        };
    }
}
