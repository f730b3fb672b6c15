using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.SenderIntelligence.Networks;

namespace Gateway.SenderIntelligence.Dnsbl;

/// <summary>The name to look up for an address in a DNS list zone (RFC 5782 sections 2.1 and 2.4).</summary>
public static class DnsblQueryName
{
    /// <summary>
    /// IPv4: the octets in reverse order (192.0.2.99 in zone z is 99.2.0.192.z). IPv6: the 32 nibbles of the
    /// address in reverse order, lowercase hex, dot-separated (as in ip6.arpa).
    /// </summary>
    public static string For(IPAddress address, string zone)
    {
        address = IpAddressParser.Normalize(address);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        var name = new StringBuilder(written == 4 ? 16 + zone.Length : 64 + zone.Length);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (var i = 3; i >= 0; i--)
            {
                name.Append(bytes[i]).Append('.');
            }
        }
        else
        {
            AppendNibbles(name, bytes);
        }

        return name.Append(zone.TrimEnd('.')).ToString();
    }

    /// <summary>
    /// The nibble form of 16 address bytes, without the IPv4-mapped shortcut of <see cref="For"/>: the RFC 5782
    /// IPv6 test points (::ffff:7f00:2) must be asked in this form.
    /// </summary>
    public static string ForIpv6Bytes(ReadOnlySpan<byte> bytes, string zone)
    {
        var name = new StringBuilder(64 + zone.Length);
        AppendNibbles(name, bytes);
        return name.Append(zone.TrimEnd('.')).ToString();
    }

    private static void AppendNibbles(StringBuilder name, ReadOnlySpan<byte> bytes)
    {
        const string hex = "0123456789abcdef";
        for (var i = 15; i >= 0; i--)
        {
            name.Append(hex[bytes[i] & 0xf]).Append('.').Append(hex[bytes[i] >> 4]).Append('.');
        }
    }
}
