using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.MtaEdge.Smtp.Addressing;

/// <summary>
/// Parses Path (RFC 5321 4.1.2) with the SMTPUTF8 extensions of RFC 6531 3.3: quoted local parts,
/// address literals, source routes (parsed, then ignored) and the length limits of RFC 5321 4.5.3.1.
/// Anything that does not fit the grammar is an error, never a guess.
/// </summary>
internal static class PathParser
{
    private const int MaxLocalPartOctets = 64;
    private const int MaxDomainOctets = 255;
    private const int MaxPathOctets = 256;
    private const int MaxLabelOctets = 63;

    /// <summary>
    /// Parses a path starting at <paramref name="position"/> (which must be "&lt;") and moves past its "&gt;".
    /// </summary>
    /// <param name="allowNull">Accept &lt;&gt; (reverse-path).</param>
    /// <param name="allowBarePostmaster">Accept &lt;Postmaster&gt; without a domain (forward-path).</param>
    public static bool TryParse(
        string text, ref int position, bool allowNull, bool allowBarePostmaster, out SmtpPath path, out string error)
    {
        path = SmtpPath.Null;
        var start = position;
        var i = position;
        if (i >= text.Length || text[i] != '<')
        {
            error = "address must be enclosed in <>";
            return false;
        }

        i++;
        if (i < text.Length && text[i] == '>')
        {
            position = i + 1;
            error = allowNull ? "" : "null address not allowed here";
            return allowNull;
        }

        // A-d-l ":" (source route): "@one.example,@two.example:"; RFC 5321 appendix C says to ignore it.
        var hadRoute = false;
        if (i < text.Length && text[i] == '@')
        {
            hadRoute = true;
            while (true)
            {
                i++; // past '@'
                if (!TryParseDomain(text, ref i, out _, out error))
                {
                    error = "bad source route: " + error;
                    return false;
                }

                if (i < text.Length && text[i] == ',')
                {
                    i++;
                    if (i >= text.Length || text[i] != '@')
                    {
                        error = "bad source route";
                        return false;
                    }

                    continue;
                }

                if (i < text.Length && text[i] == ':')
                {
                    i++;
                    break;
                }

                error = "bad source route";
                return false;
            }
        }

        if (!TryParseLocalPart(text, ref i, out var localCanonical, out var localContent, out error))
        {
            return false;
        }

        if (allowBarePostmaster && !hadRoute && i < text.Length && text[i] == '>'
            && localCanonical.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
        {
            position = i + 1;
            path = new SmtpPath { LocalPart = localCanonical, LocalContent = localContent };
            error = "";
            return true;
        }

        if (i >= text.Length || text[i] != '@')
        {
            error = "address must be local-part@domain";
            return false;
        }

        i++;
        string domain;
        var literal = false;
        if (i < text.Length && text[i] == '[')
        {
            if (!TryParseAddressLiteral(text, ref i, out domain, out error))
            {
                return false;
            }

            literal = true;
        }
        else if (!TryParseDomain(text, ref i, out domain, out error, allowTrailingDot: true))
        {
            return false;
        }

        if (i >= text.Length || text[i] != '>')
        {
            error = "address must end with >";
            return false;
        }

        var localOctets = Encoding.UTF8.GetByteCount(localCanonical);
        var domainOctets = Encoding.UTF8.GetByteCount(domain);
        if (localOctets > MaxLocalPartOctets)
        {
            error = "local part longer than 64 octets";
            return false;
        }

        var pathOctets = Encoding.UTF8.GetByteCount(text.AsSpan(start, i + 1 - start));
        if (domainOctets > MaxDomainOctets || pathOctets > MaxPathOctets)
        {
            error = "address too long";
            return false;
        }

        position = i + 1;
        path = new SmtpPath
        {
            LocalPart = localCanonical,
            LocalContent = localContent,
            Domain = domain,
            IsAddressLiteral = literal,
            HadSourceRoute = hadRoute,
            HasNonAscii = !Ascii.IsValid(localCanonical) || !Ascii.IsValid(domain),
        };
        error = "";
        return true;
    }

    /// <summary>Local-part = Dot-string / Quoted-string. Returns the canonical form and the unquoted content.</summary>
    private static bool TryParseLocalPart(
        string text, ref int i, out string canonical, out string content, out string error)
    {
        canonical = content = "";
        if (i < text.Length && text[i] == '"')
        {
            var builder = new StringBuilder();
            i++;
            while (true)
            {
                if (i >= text.Length)
                {
                    error = "unterminated quoted local part";
                    return false;
                }

                var c = text[i];
                if (c == '"')
                {
                    i++;
                    break;
                }

                if (c == '\\')
                {
                    // quoted-pairSMTP = "\" %d32-126
                    if (i + 1 >= text.Length || text[i + 1] is < ' ' or > '~')
                    {
                        error = "bad quoted pair in local part";
                        return false;
                    }

                    builder.Append(text[i + 1]);
                    i += 2;
                    continue;
                }

                // qtextSMTP = %d32-33 / %d35-91 / %d93-126 / UTF8-non-ascii
                if (c is < ' ' or (>= '\x7f' and <= '\x9f'))
                {
                    error = "control character in local part";
                    return false;
                }

                builder.Append(c);
                i++;
            }

            content = builder.ToString();
            if (content.Length == 0)
            {
                error = "empty local part";
                return false;
            }

            // RFC 5321 4.1.2: a quoted string that could be a dot-string means the same mailbox.
            canonical = IsDotString(content) ? content : Quote(content);
            error = "";
            return true;
        }

        var begin = i;
        var atomStart = true;
        while (i < text.Length && (IsAtext(text[i]) || text[i] == '.'))
        {
            if (text[i] == '.')
            {
                if (atomStart)
                {
                    error = "empty atom in local part";
                    return false;
                }

                atomStart = true;
            }
            else
            {
                atomStart = false;
            }

            i++;
        }

        if (i == begin)
        {
            error = "missing local part";
            return false;
        }

        if (atomStart)
        {
            error = "local part ends with a dot";
            return false;
        }

        canonical = content = text[begin..i];
        error = "";
        return true;
    }

    /// <summary>
    /// Domain = sub-domain *("." sub-domain), U-labels allowed (RFC 6531); optionally one trailing dot.
    /// </summary>
    private static bool TryParseDomain(
        string text, ref int i, out string domain, out string error, bool allowTrailingDot = false)
    {
        var begin = i;
        domain = "";
        while (true)
        {
            var labelStart = i;
            while (i < text.Length && IsLetDig(text[i]) || i < text.Length && text[i] == '-')
            {
                i++;
            }

            var label = text.AsSpan(labelStart, i - labelStart);
            if (label.IsEmpty)
            {
                if (allowTrailingDot && i > begin && i < text.Length && text[i - 1] == '.' && text[i] != '.')
                {
                    // "example.test." names the same domain (the root label); normalised later.
                    break;
                }

                error = "bad domain";
                return false;
            }

            if (label[0] == '-' || label[^1] == '-' || label.Length > MaxLabelOctets)
            {
                error = "bad domain label";
                return false;
            }

            if (i < text.Length && text[i] == '.')
            {
                i++;
                continue;
            }

            break;
        }

        domain = text[begin..i];
        error = "";
        return true;
    }

    /// <summary>address-literal = "[" ( IPv4 / "IPv6:" IPv6 / tag ":" dcontent ) "]" (RFC 5321 4.1.3).</summary>
    private static bool TryParseAddressLiteral(string text, ref int i, out string literal, out string error)
    {
        literal = "";
        var close = text.IndexOf(']', i);
        if (close < 0)
        {
            error = "unterminated address literal";
            return false;
        }

        var inner = text[(i + 1)..close];
        var valid = false;
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            valid = IPAddress.TryParse(inner[5..], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }
        else if (inner.Length > 0 && char.IsAsciiDigit(inner[0]))
        {
            valid = inner.Split('.').Length == 4 && IPAddress.TryParse(inner, out var v4)
                && v4.AddressFamily == AddressFamily.InterNetwork;
        }
        else
        {
            var colon = inner.IndexOf(':');
            valid = colon > 0
                && inner[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                && inner[(colon + 1)..].Length > 0
                && inner[(colon + 1)..].All(c => c is (>= '!' and <= 'Z') or (>= '^' and <= '~'));
        }

        if (!valid)
        {
            error = "bad address literal";
            return false;
        }

        literal = text[i..(close + 1)];
        i = close + 1;
        error = "";
        return true;
    }

    public static bool IsDotString(string value)
    {
        if (value.Length == 0 || value[0] == '.' || value[^1] == '.' || value.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        return value.All(c => c == '.' || IsAtext(c));
    }

    private static string Quote(string content)
    {
        var builder = new StringBuilder(content.Length + 2).Append('"');
        foreach (var c in content)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    /// <summary>atext of RFC 5322 3.2.3, plus UTF8-non-ascii (RFC 6531 3.3).</summary>
    private static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || c > '\x9f' || "!#$%&'*+-/=?^_`{|}~".Contains(c);

    private static bool IsLetDig(char c) =>
        char.IsAsciiLetterOrDigit(c)
        || (c > '\x7f' && (char.IsLetterOrDigit(c) || char.IsSurrogate(c)
            || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark));
}
