using System.Net;
using System.Net.Sockets;

namespace Gateway.SenderIntelligence.Networks;

/// <summary>
/// Strict address parsing. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> also accepts the legacy
/// inet_aton forms ("10.1" is 10.0.0.1, "0x7f.1" is 127.0.0.1, leading zeros may mean octal), which turn a
/// typo in a block list into a different network; here an IPv4 address is exactly four decimal octets.
/// </summary>
public static class IpAddressParser
{
    /// <summary>Parses an address as written in configuration; no zone index (%eth0) allowed.</summary>
    public static bool TryParse(string? text, out IPAddress address, out string? error)
    {
        address = IPAddress.None;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "is empty";
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (text.Contains('%', StringComparison.Ordinal))
            {
                error = "has a zone index (%...), which has no meaning in a list of networks";
                return false;
            }

            // Only the characters of RFC 4291 §2.2 text forms: IPAddress.TryParse would also take "[::1]"
            // and "[::1]:25", which are endpoints, not addresses.
            if (!text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
                || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = "is not a valid IPv6 address";
                return false;
            }

            address = Normalize(v6);
            error = null;
            return true;
        }

        if (!TryParseDottedQuad(text, out address))
        {
            error = "is not an IPv4 address of four decimal octets (a.b.c.d) nor an IPv6 address";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Parses the client address an edge reports. A zone index is dropped: the same peer is the same sender
    /// whichever interface it came in on.
    /// </summary>
    public static bool TryParseClient(string? text, out IPAddress address)
    {
        var percent = text?.IndexOf('%', StringComparison.Ordinal) ?? -1;
        if (percent > 0 && text!.Contains(':', StringComparison.Ordinal))
        {
            text = text[..percent];
        }

        return TryParse(text, out address, out _);
    }

    /// <summary>
    /// The form every comparison and key uses: an IPv4-mapped IPv6 address (::ffff:a.b.c.d, what a dual-stack
    /// socket reports for an IPv4 peer) becomes the IPv4 address, and any IPv6 zone index is dropped.
    /// </summary>
    public static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            return new IPAddress(address.GetAddressBytes());
        }

        return address;
    }

    private static bool TryParseDottedQuad(string text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> octets = stackalloc byte[4];
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is < 1 or > 3 || (part.Length > 1 && part[0] == '0') || !part.All(char.IsAsciiDigit))
            {
                return false;
            }

            var value = int.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return false;
            }

            octets[i] = (byte)value;
        }

        address = new IPAddress(octets);
        return true;
    }
}
