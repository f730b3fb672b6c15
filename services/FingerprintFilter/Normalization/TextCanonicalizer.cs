using System.Globalization;
using System.Text;

namespace Gateway.FingerprintFilter.Normalization;

/// <summary>
/// The last normalisation step of every text part: fold case, drop invisible characters, mask
/// volatile tokens, fold whitespace. Two parts a reader would call the same text come out equal.
/// </summary>
public static class TextCanonicalizer
{
    public static string Canonicalize(string text) => Canonicalize(text, null);

    /// <summary>
    /// Canonicalises <paramref name="text"/>; links in it are added to <paramref name="links"/> when given.
    /// </summary>
    public static string Canonicalize(string text, ICollection<string>? links)
    {
        // Invariant lower case: the result must not depend on the host's culture.
        var lowered = text.ToLowerInvariant();
        var visible = DropInvisible(lowered);
        var masked = VolatileTokenMasker.Mask(visible, links);
        return FoldWhitespace(masked);
    }

    /// <summary>
    /// Removes format characters (zero-width spaces and joiners, soft hyphens, byte-order marks),
    /// which spammers sprinkle into words to break digests, and control characters other than
    /// whitespace. Done before masking so a hidden character cannot split a link or a token.
    /// </summary>
    public static string DropInvisible(string text)
    {
        StringBuilder? kept = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var category = char.GetUnicodeCategory(c);
            var invisible = category == UnicodeCategory.Format
                || (category == UnicodeCategory.Control && !char.IsWhiteSpace(c));
            if (invisible)
            {
                kept ??= new StringBuilder(text.Length).Append(text, 0, i);
            }
            else
            {
                kept?.Append(c);
            }
        }

        return kept?.ToString() ?? text;
    }

    /// <summary>Runs of whitespace (any Unicode space, line breaks, tabs) become one space; ends trimmed.</summary>
    public static string FoldWhitespace(string text)
    {
        var folded = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = folded.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                folded.Append(' ');
                pendingSpace = false;
            }

            folded.Append(c);
        }

        return folded.ToString();
    }
}
