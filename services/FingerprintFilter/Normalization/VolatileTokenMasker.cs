using System.Text.RegularExpressions;

namespace Gateway.FingerprintFilter.Normalization;

/// <summary>
/// Replaces what a campaign varies from copy to copy, so its variants normalise alike: link query
/// strings (tracking ids), e-mail addresses (the recipient), random-looking tokens (hash busters,
/// coupon and order codes) and numbers. A URL keeps its host and path: they say where the spam
/// leads, which is the part a campaign cannot vary freely.
/// Expects lower-case input; replacements are bracketed words that no later rule matches again.
/// </summary>
public static partial class VolatileTokenMasker
{
    public const string EmailMask = "[email]";
    public const string TokenMask = "[tok]";
    public const string NumberMask = "[n]";
    public const string QueryMask = "?[q]";

    // Url and Number cannot backtrack badly (each repetition needs a character the one before cannot
    // match), so they run as compiled backtracking matchers, several times faster. Email could (a long
    // run without "@" is retried from every start), so it keeps the linear NonBacktracking engine.
    // Words are masked by a plain scan. The timeout is a backstop.
    private const int TimeoutMilliseconds = 5000;

    [GeneratedRegex(
        @"(?:(?:https?|ftp)://|www\.)[^\s<>""'()\[\]{}]+", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Url();

    [GeneratedRegex(@"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+",
        RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Email();

    [GeneratedRegex(@"\p{Nd}+(?:[.,:/\-]\p{Nd}+)*", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Number();

    /// <summary>Runs of letters and digits at least this long are checked for randomness.</summary>
    private const int MinTokenChars = 8;

    /// <summary>A letters-only run at least this long is taken for random (no dictionary word is that long).</summary>
    private const int LongestPlausibleWord = 30;

    public static string Mask(string text) => Mask(text, null);

    /// <summary>
    /// Masks <paramref name="text"/>; every link found is added to <paramref name="links"/> when given.
    /// </summary>
    public static string Mask(string text, ICollection<string>? links)
    {
        text = links is null
            ? Url().Replace(text, static m => MaskUrl(m.Value))
            : Url().Replace(text, m =>
            {
                links.Add(m.Value);
                return MaskUrl(m.Value);
            });
        text = Email().Replace(text, EmailMask);
        text = MaskRandomWords(text);
        return Number().Replace(text, NumberMask);
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

    /// <summary>
    /// Replaces each maximal run of letters and digits (Unicode categories L and N) of at least
    /// <see cref="MinTokenChars"/> that looks random with <see cref="TokenMask"/>.
    /// </summary>
    private static string MaskRandomWords(string text)
    {
        System.Text.StringBuilder? masked = null;
        var copied = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]) && !char.IsNumber(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsLetter(text[i]) || char.IsNumber(text[i])))
            {
                i++;
            }

            if (i - start >= MinTokenChars && LooksRandom(text.AsSpan(start, i - start)))
            {
                masked ??= new System.Text.StringBuilder(text.Length);
                masked.Append(text, copied, start - copied).Append(TokenMask);
                copied = i;
            }
        }

        return masked is null ? text : masked.Append(text, copied, text.Length - copied).ToString();
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
