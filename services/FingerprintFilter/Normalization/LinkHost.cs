namespace Gateway.FingerprintFilter.Normalization;

/// <summary>
/// The host a link points to, lower-cased, for the URL-domain fingerprints. Only web and FTP links
/// count: mailto, cid, data and javascript links name no site a campaign must host.
/// </summary>
public static class LinkHost
{
    /// <summary>Longest host kept (RFC 1035 section 2.3.4 limits a name to 255 octets).</summary>
    public const int MaxHostChars = 255;

    /// <summary>
    /// The host of <c>http://</c>, <c>https://</c>, <c>ftp://</c>, scheme-relative <c>//host</c> or bare
    /// <c>www.</c> links; null for anything else or a host that is not a plausible DNS name or IPv4 address.
    /// </summary>
    public static string? Of(ReadOnlySpan<char> link)
    {
        link = link.Trim();
        var authority = AuthorityOf(link);
        if (authority.IsEmpty)
        {
            return null;
        }

        authority = authority.TrimEnd(".,;!?'\"");

        // RFC 3986 section 3.2: userinfo ends at the last "@", the port follows the last ":".
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }

        var colon = authority.LastIndexOf(':');
        if (colon >= 0)
        {
            authority = authority[..colon];
        }

        authority = authority.TrimEnd('.');
        if (authority.IsEmpty || authority.Length > MaxHostChars || !authority.Contains('.'))
        {
            return null;
        }

        foreach (var c in authority)
        {
            // Letters of any script (IDNs written in Unicode), digits, hyphen, dot; nothing else.
            if (!(char.IsLetterOrDigit(c) || c is '-' or '.'))
            {
                return null;
            }
        }

        return authority.ToString().ToLowerInvariant();
    }

    private static ReadOnlySpan<char> AuthorityOf(ReadOnlySpan<char> link)
    {
        ReadOnlySpan<char> rest;
        if (StartsWith(link, "http://") || StartsWith(link, "https://") || StartsWith(link, "ftp://"))
        {
            rest = link[(link.IndexOf("://") + 3)..];
        }
        else if (link.StartsWith("//"))
        {
            rest = link[2..];
        }
        else if (StartsWith(link, "www."))
        {
            rest = link;
        }
        else
        {
            return ReadOnlySpan<char>.Empty;
        }

        var end = rest.IndexOfAny("/?#\\");
        return end >= 0 ? rest[..end] : rest;
    }

    private static bool StartsWith(ReadOnlySpan<char> text, string prefix) =>
        text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}
