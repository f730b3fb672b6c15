using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.MtaEdge.Smtp.Proxy;

/// <summary>
/// Parses the header of the PROXY protocol (HAProxy, "The PROXY protocol", versions 1 and 2) at the
/// start of a connection. Version 1 is one text line of at most 107 octets; version 2 is a 16-octet
/// binary preamble followed by the addresses and optional TLVs, which are skipped. Anything else,
/// including a header longer than <see cref="MaxV2Length"/>, is invalid: the peer is a trusted proxy,
/// so a malformed header means a misconfiguration or an attack, never something to guess around.
/// </summary>
public static class ProxyHeaderParser
{
    /// <summary>Longest v1 line, "PROXY" to CRLF (protocol spec section 2.1).</summary>
    public const int MaxV1Length = 107;

    /// <summary>Largest v2 address-and-TLV block accepted (the spec allows 65535; real TLVs are small).</summary>
    public const int MaxV2Length = 4096;

    private static ReadOnlySpan<byte> V2Signature => "\r\n\r\n\0\r\nQUIT\n"u8;

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    public static ProxyParseStatus TryParse(
        ReadOnlySequence<byte> input, out ProxyHeader? header, out long consumed, out string error)
    {
        header = null;
        consumed = 0;
        error = "";

        // Both headers are short: work on a copy of at most the largest possible one.
        var length = (int)Math.Min(input.Length, 16 + MaxV2Length);
        Span<byte> bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        input.Slice(0, length).CopyTo(bytes);

        if (bytes.Length == 0)
        {
            return ProxyParseStatus.Incomplete;
        }

        if (bytes[0] == V2Signature[0])
        {
            return ParseV2(bytes, out header, out consumed, out error);
        }

        return ParseV1(bytes, out header, out consumed, out error);
    }

    private static ProxyParseStatus ParseV1(
        ReadOnlySpan<byte> bytes, out ProxyHeader? header, out long consumed, out string error)
    {
        header = null;
        consumed = 0;
        error = "";
        var prefix = Math.Min(bytes.Length, V1Prefix.Length);
        if (!bytes[..prefix].SequenceEqual(V1Prefix[..prefix]))
        {
            error = "not a PROXY protocol header";
            return ProxyParseStatus.Invalid;
        }

        var end = bytes.IndexOf("\r\n"u8);
        if (end < 0)
        {
            if (bytes.Length >= MaxV1Length)
            {
                error = "PROXY v1 line too long";
                return ProxyParseStatus.Invalid;
            }

            return ProxyParseStatus.Incomplete;
        }

        if (end + 2 > MaxV1Length)
        {
            error = "PROXY v1 line too long";
            return ProxyParseStatus.Invalid;
        }

        consumed = end + 2;
        var line = bytes[..end];
        if (!Ascii.IsValid(line))
        {
            error = "PROXY v1 line is not ASCII";
            return ProxyParseStatus.Invalid;
        }

        // "PROXY" SP proto SP src SP dst SP srcport SP dstport, single spaces (spec section 2.1).
        var parts = Encoding.ASCII.GetString(line).Split(' ');
        if (parts.Length >= 2 && parts[1] == "UNKNOWN")
        {
            // The proxy does not know the client (e.g. a health check): anything after UNKNOWN is ignored.
            header = new ProxyHeader(1, null, null);
            return ProxyParseStatus.Complete;
        }

        if (parts.Length != 6 || parts[1] is not ("TCP4" or "TCP6"))
        {
            error = "PROXY v1 line is malformed";
            return ProxyParseStatus.Invalid;
        }

        var family = parts[1] == "TCP4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        if (!TryAddress(parts[2], family, out var source) || !TryAddress(parts[3], family, out var destination)
            || !TryPort(parts[4], out var sourcePort) || !TryPort(parts[5], out var destinationPort))
        {
            error = "PROXY v1 addresses or ports are malformed";
            return ProxyParseStatus.Invalid;
        }

        header = new ProxyHeader(1, new IPEndPoint(source, sourcePort), new IPEndPoint(destination, destinationPort));
        return ProxyParseStatus.Complete;
    }

    private static ProxyParseStatus ParseV2(
        ReadOnlySpan<byte> bytes, out ProxyHeader? header, out long consumed, out string error)
    {
        header = null;
        consumed = 0;
        error = "";
        var signature = Math.Min(bytes.Length, V2Signature.Length);
        if (!bytes[..signature].SequenceEqual(V2Signature[..signature]))
        {
            error = "not a PROXY protocol header";
            return ProxyParseStatus.Invalid;
        }

        if (bytes.Length < 16)
        {
            return ProxyParseStatus.Incomplete;
        }

        var versionCommand = bytes[12];
        var familyProtocol = bytes[13];
        var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[14..16]);
        if (versionCommand >> 4 != 2)
        {
            error = "PROXY v2 header has an unknown version";
            return ProxyParseStatus.Invalid;
        }

        var command = versionCommand & 0x0F;
        if (command > 1)
        {
            error = "PROXY v2 header has an unknown command";
            return ProxyParseStatus.Invalid;
        }

        if (length > MaxV2Length)
        {
            error = "PROXY v2 header is too long";
            return ProxyParseStatus.Invalid;
        }

        if (bytes.Length < 16 + length)
        {
            return ProxyParseStatus.Incomplete;
        }

        consumed = 16 + length;
        var body = bytes.Slice(16, length);

        // LOCAL (0): the proxy's own connection, e.g. a health check; the addresses are to be ignored.
        if (command == 0)
        {
            header = new ProxyHeader(2, null, null);
            return ProxyParseStatus.Complete;
        }

        var family = familyProtocol >> 4;
        var protocol = familyProtocol & 0x0F;
        switch (family)
        {
            case 1 when protocol == 1 && body.Length >= 12:
                header = new ProxyHeader(
                    2,
                    new IPEndPoint(new IPAddress(body[..4]), BinaryPrimitives.ReadUInt16BigEndian(body[8..10])),
                    new IPEndPoint(new IPAddress(body[4..8]), BinaryPrimitives.ReadUInt16BigEndian(body[10..12])));
                return ProxyParseStatus.Complete;
            case 2 when protocol == 1 && body.Length >= 36:
                header = new ProxyHeader(
                    2,
                    new IPEndPoint(new IPAddress(body[..16]), BinaryPrimitives.ReadUInt16BigEndian(body[32..34])),
                    new IPEndPoint(new IPAddress(body[16..32]), BinaryPrimitives.ReadUInt16BigEndian(body[34..36])));
                return ProxyParseStatus.Complete;
            case 1 or 2 when protocol == 1:
                error = "PROXY v2 address block is too short";
                return ProxyParseStatus.Invalid;
            default:
                // UNSPEC, UNIX sockets or datagrams: the spec says to use the real connection's addresses.
                header = new ProxyHeader(2, null, null);
                return ProxyParseStatus.Complete;
        }
    }

    private static bool TryAddress(string text, AddressFamily family, out IPAddress address)
    {
        // The spec allows no zone ids and no IPv4 shorthand such as "10.1".
        if (!IPAddress.TryParse(text, out address!) || address.AddressFamily != family || text.Contains('%')
            || (family == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3))
        {
            return false;
        }

        return true;
    }

    private static bool TryPort(string text, out int port)
    {
        // Decimal 0-65535 without leading zeros (spec section 2.1).
        port = 0;
        return text.Length is > 0 and <= 5 && (text.Length == 1 || text[0] != '0')
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
    }
}
