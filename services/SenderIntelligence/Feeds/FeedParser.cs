using System.Globalization;
using System.Net.Sockets;
using Gateway.SenderIntelligence.Networks;

namespace Gateway.SenderIntelligence.Feeds;

/// <summary>
/// Reads a feed: one address or CIDR network per line; blank lines, and everything after '#' or ';', are ignored
/// (the common formats write "192.0.2.0/24 ; reference" or "# comment"). A network written with host bits set is
/// taken as its network, as list publishers sometimes write them so. Lines that are not addresses are counted and
/// the first few reported, never fatal: one bad line must not throw away a million good ones.
/// </summary>
public static class FeedParser
{
    public const int MaxReportedErrors = 5;
    private const int MaxLineChars = 512;

    public static FeedParseResult Parse(TextReader reader)
    {
        var builder = new IpRangeTable.Builder();
        var errors = new List<string>();
        var invalid = 0;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var entry = Entry(line);
            if (entry.IsEmpty)
            {
                continue;
            }

            if (entry.Length <= MaxLineChars && TryParse(entry, out var family, out var prefix, out var length))
            {
                builder.Add(family, prefix, length);
                continue;
            }

            invalid++;
            if (errors.Count < MaxReportedErrors)
            {
                var shown = entry.Length > 60 ? entry[..60].ToString() + "..." : entry.ToString();
                errors.Add($"line {lineNumber}: '{shown}' is not an address or network");
            }
        }

        return new FeedParseResult(builder.Build(), builder.Count, invalid, errors);
    }

    private static ReadOnlySpan<char> Entry(string line)
    {
        var span = line.AsSpan();
        var comment = span.IndexOfAny('#', ';');
        if (comment >= 0)
        {
            span = span[..comment];
        }

        span = span.Trim();
        var space = span.IndexOfAny(' ', '\t');
        return space >= 0 ? span[..space] : span;
    }

    private static bool TryParse(ReadOnlySpan<char> text, out AddressFamily family, out UInt128 prefix, out int length)
    {
        family = AddressFamily.InterNetwork;
        prefix = 0;
        var slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        var bits = 32;
        if (TryDottedQuad(address, out var v4))
        {
            prefix = v4;
        }
        else if (address.Contains(':') && IpAddressParser.TryParse(address.ToString(), out var parsed, out _))
        {
            family = parsed.AddressFamily;
            prefix = IpNetwork.ToInteger(parsed);
            bits = family == AddressFamily.InterNetwork ? 32 : 128;
            if (family == AddressFamily.InterNetwork && slash >= 0)
            {
                // ::ffff:a.b.c.d/len: the length counts the 96 mapped-prefix bits too.
                if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var mapped)
                    || mapped is < 96 or > 128)
                {
                    length = 0;
                    return false;
                }

                length = mapped - 96;
                prefix &= IpNetwork.Mask(family, length);
                return true;
            }
        }
        else
        {
            length = 0;
            return false;
        }

        length = bits;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture,
            out length)
            || length > bits))
        {
            return false;
        }

        prefix &= IpNetwork.Mask(family, length);
        return true;
    }

    /// <summary>Four decimal octets without leading zeros, parsed without allocating (a feed has a million).</summary>
    private static bool TryDottedQuad(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        var octets = 0;
        var i = 0;
        while (octets < 4)
        {
            var start = i;
            var octet = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3)
            {
                octet = (octet * 10) + (text[i] - '0');
                i++;
            }

            var digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && text[start] == '0'))
            {
                return false;
            }

            value = (value << 8) | (uint)octet;
            octets++;
            if (octets < 4)
            {
                if (i >= text.Length || text[i] != '.')
                {
                    return false;
                }

                i++;
            }
        }

        return i == text.Length;
    }
}
