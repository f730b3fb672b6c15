using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.MtaEdge.Delivery.Maildir;

/// <summary>
/// Turns client-chosen mailbox names into single, harmless directory names. Deterministic and
/// one-to-one (up to the hashed tail of over-long names), so a mailbox always maps to the same
/// directory and two different mailboxes never share one.
/// </summary>
/// <remarks>
/// Kept as-is: ASCII letters and digits, the RFC 5322 atext specials except '/' and '%', '.', and
/// non-ASCII letters, digits and combining marks (SMTPUTF8 local parts), so the directory is the
/// name Dovecot's <c>%n</c> expands to for every ordinary user. Everything else becomes %XX per
/// UTF-8 octet: '/', '%', NUL and other controls, spaces, quotes, backslashes, invisible and
/// direction-changing characters. A leading '.' (hidden; a Maildir++ folder) and the second dot of
/// ".." are escaped too, so the result is never ".", "..", a path or a dot-folder.
/// </remarks>
public static class MaildirPathNames
{
    /// <summary>Longest escaped name in UTF-8 octets (file systems allow 255 per component).</summary>
    public const int MaxNameOctets = 200;

    /// <summary>Stands for an empty mailbox name; '%' followed by non-hex cannot come from escaping.</summary>
    public const string EmptyName = "%empty";

    private const string KeptAsciiSpecials = "!#$&'*+-=?^_`{|}~";
    private const int HashHexChars = 16;

    public static string EscapeMailbox(string name)
    {
        if (name.Length == 0)
        {
            return EmptyName;
        }

        var escaped = new StringBuilder(name.Length + 8);
        var previousWasDot = false;
        var first = true;
        foreach (var rune in name.EnumerateRunes())
        {
            var isDot = rune.Value == '.';
            if (isDot ? first || previousWasDot : !IsKept(rune))
            {
                AppendEscaped(escaped, rune);
            }
            else
            {
                escaped.Append(rune.ToString());
            }

            previousWasDot = isDot;
            first = false;
        }

        return Bound(escaped.ToString(), name);
    }

    /// <summary>
    /// True when a configured domain can be a directory name as it is: DNS letters, digits,
    /// hyphens and single inner dots, or non-ASCII letters and digits (IDN U-labels).
    /// </summary>
    public static bool IsSafeDomain(string domain)
    {
        if (domain.Length is 0 or > 253 || domain[0] == '.' || domain[^1] == '.' || domain.Contains(".."))
        {
            return false;
        }

        foreach (var rune in domain.EnumerateRunes())
        {
            var ok = rune.IsAscii
                ? char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-' or '.'
                : Rune.IsLetterOrDigit(rune);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsKept(Rune rune)
    {
        if (rune.IsAscii)
        {
            var c = (char)rune.Value;
            return char.IsAsciiLetterOrDigit(c) || KeptAsciiSpecials.Contains(c);
        }

        if (rune == Rune.ReplacementChar)
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => true,
            _ => false,
        };
    }

    private static void AppendEscaped(StringBuilder builder, Rune rune)
    {
        Span<byte> utf8 = stackalloc byte[4];
        var length = rune.EncodeToUtf8(utf8);
        foreach (var octet in utf8[..length])
        {
            builder.Append('%').Append(octet.ToString("X2", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Cuts an over-long name and appends a hash of the original, keeping it unique.</summary>
    private static string Bound(string escaped, string original)
    {
        if (Encoding.UTF8.GetByteCount(escaped) <= MaxNameOctets)
        {
            return escaped;
        }

        var keepOctets = MaxNameOctets - HashHexChars - 1;
        var cut = 0;
        var octets = 0;
        foreach (var rune in escaped.EnumerateRunes())
        {
            if (octets + rune.Utf8SequenceLength > keepOctets)
            {
                break;
            }

            octets += rune.Utf8SequenceLength;
            cut += rune.Utf16SequenceLength;
        }

        // Never split a %XX escape: the cut text must still decode the same way.
        var percent = escaped.LastIndexOf('%', cut - 1, Math.Min(cut, 3));
        if (percent >= 0 && cut - percent < 3)
        {
            cut = percent;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(original)))[..HashHexChars];
        return escaped[..cut] + "~" + hash;
    }
}
