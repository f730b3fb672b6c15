using System.Text.RegularExpressions;

namespace Gateway.FingerprintFilter.Normalization;

/// <summary>
/// Replaces what a campaign varies from copy to copy, so its variants normalise alike: link query
/// strings (tracking ids), e-mail addresses (the recipient), random-looking tokens (hash busters,
/// coupon and order codes) and numbers. A URL keeps its host and path: they say where the spam
/// leads, which is the part a campaign cannot vary freely.
/// Expects lower-case input; replacements are bracketed words that no later rule matches again.
/// </summary>
public static class VolatileTokenMasker
{
    public const string EmailMask = "[email]";
    public const string TokenMask = "[tok]";
    public const string NumberMask = "[n]";
    public const string QueryMask = "?[q]";

    // NonBacktracking keeps matching linear in the input whatever the text; the timeout is a backstop.
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static readonly Regex Url = new(
        @"(?:(?:https?|ftp)://|www\.)[^\s<>""'()\[\]{}]+", Options, Timeout);

    private static readonly Regex Email = new(
        @"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+", Options, Timeout);

    private static readonly Regex Word = new(@"[\p{L}\p{N}]{8,}", Options, Timeout);

    private static readonly Regex Number = new(@"\p{Nd}+(?:[.,:/\-]\p{Nd}+)*", Options, Timeout);

    /// <summary>A letters-only run at least this long is taken for random (no dictionary word is that long).</summary>
    private const int LongestPlausibleWord = 30;

    public static string Mask(string text) => Mask(text, null);

    /// <summary>Masks <paramref name="text"/>; every link found is added to <paramref name="links"/> when given.</summary>
    public static string Mask(string text, ICollection<string>? links)
    {
        text = links is null
            ? Url.Replace(text, static m => MaskUrl(m.Value))
            : Url.Replace(text, m =>
            {
                links.Add(m.Value);
                return MaskUrl(m.Value);
            });
        text = Email.Replace(text, EmailMask);
        text = Word.Replace(text, static m => LooksRandom(m.ValueSpan) ? TokenMask : m.Value);
        return Number.Replace(text, NumberMask);
    }

    /// <summary>
    /// <c>https://user@Host:8080/a/b?x=1#f</c> becomes <c>host/a/b?[q]</c>: scheme, credentials,
    /// port and fragment dropped, query masked. Sentence punctuation after a link stays outside it.
    /// </summary>
    private static string MaskUrl(string url)
    {
        var trailing = url.Length - url.AsSpan().TrimEnd(".,;:!?").Length;
        var link = url.AsSpan(0, url.Length - trailing);

        var schemeEnd = link.IndexOf("://");
        if (schemeEnd >= 0)
        {
            link = link[(schemeEnd + 3)..];
        }

        var hostEnd = link.IndexOfAny("/?#\\");
        var authority = hostEnd >= 0 ? link[..hostEnd] : link;
        var rest = hostEnd >= 0 ? link[hostEnd..] : ReadOnlySpan<char>.Empty;

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

        var fragment = rest.IndexOf('#');
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }

        var query = rest.IndexOf('?');
        var path = query >= 0 ? rest[..query] : rest;
        var masked = string.Concat(authority, path, query >= 0 ? QueryMask : "");
        return trailing == 0 ? masked : masked + url[^trailing..];
    }

    private static bool LooksRandom(ReadOnlySpan<char> word)
    {
        bool letters = false, digits = false;
        foreach (var c in word)
        {
            letters |= char.IsLetter(c);
            digits |= char.IsDigit(c);
        }

        return (letters && digits) || word.Length >= LongestPlausibleWord;
    }
}
