using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gateway.SenderIntelligence.Networks;

/// <summary>
/// An IPv4 or IPv6 network in CIDR notation (RFC 4632 §3.1; RFC 4291 §2.3), or a single address. Networks
/// written as IPv4-mapped IPv6 (::ffff:10.0.0.0/104) are stored as the IPv4 network they denote, so they
/// match the normalised client addresses.
/// </summary>
public readonly record struct IpNetwork
{
    private IpNetwork(AddressFamily family, UInt128 prefix, int prefixLength)
    {
        Family = family;
        Prefix = prefix;
        PrefixLength = prefixLength;
    }

    public AddressFamily Family { get; }

    /// <summary>The network bits, as an integer (IPv4 in the low 32 bits); host bits are zero.</summary>
    public UInt128 Prefix { get; }

    public int PrefixLength { get; }

    public static IpNetwork Parse(string text) =>
        TryParse(text, out var network, out var error)
            ? network
            : throw new FormatException($"'{text}' {error}.");

    /// <summary>
    /// Parses "address" (a /32 or /128) or "address/length". Host bits must be zero: "10.1.2.3/8" is refused,
    /// as it is more likely a typo than a deliberate way to write 10.0.0.0/8.
    /// </summary>
    public static bool TryParse(string? text, out IpNetwork network, out string? error)
    {
        network = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "is empty";
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (addressText.Length == 0)
        {
            error = "has no address before the '/'";
            return false;
        }

        if (!IpAddressParser.TryParse(addressText, out var address, out error))
        {
            return false;
        }

        // Parse the address again without normalising, to know which width the prefix length refers to.
        var writtenAsV6 = addressText.Contains(':', StringComparison.Ordinal);
        var writtenBits = writtenAsV6 ? 128 : 32;
        var length = writtenBits;
        if (slash >= 0)
        {
            var lengthText = text[(slash + 1)..];
            if (lengthText.Length is < 1 or > 3 || !lengthText.All(char.IsAsciiDigit)
                || (lengthText.Length > 1 && lengthText[0] == '0'))
            {
                error = $"has an invalid prefix length '/{lengthText}'";
                return false;
            }

            length = int.Parse(lengthText, CultureInfo.InvariantCulture);
            if (length > writtenBits)
            {
                error = $"has prefix length /{length}, more than the {writtenBits} bits of an " +
                        (writtenAsV6 ? "IPv6" : "IPv4") + " address";
                return false;
            }
        }

        var family = address.AddressFamily;
        if (writtenAsV6 && family == AddressFamily.InterNetwork)
        {
            // ::ffff:a.b.c.d/len: the first 96 bits are the fixed mapped prefix.
            if (length < 96)
            {
                family = AddressFamily.InterNetworkV6;
                address = address.MapToIPv6();
            }
            else
            {
                length -= 96;
            }
        }

        var value = ToInteger(address);
        var masked = value & Mask(family, length);
        if (masked != value)
        {
            var suggestion = $"{FromInteger(family, masked)}/{length}";
            error = $"has host bits set beyond the /{length} prefix (did you mean {suggestion}?)";
            return false;
        }

        network = new IpNetwork(family, masked, length);
        error = null;
        return true;
    }

    /// <summary>A network from its prefix bits (host bits must be zero) and length.</summary>
    internal static IpNetwork FromPrefix(AddressFamily family, UInt128 prefix, int prefixLength) =>
        new(family, prefix, prefixLength);

    /// <summary>True when the address (normalised first) lies in this network.</summary>
    public bool Contains(IPAddress address)
    {
        address = IpAddressParser.Normalize(address);
        return address.AddressFamily == Family && (ToInteger(address) & Mask(Family, PrefixLength)) == Prefix;
    }

    public override string ToString() => $"{FromInteger(Family, Prefix)}/{PrefixLength}";

    internal static UInt128 Mask(AddressFamily family, int prefixLength)
    {
        if (prefixLength == 0)
        {
            return UInt128.Zero;
        }

        return family == AddressFamily.InterNetwork
            ? uint.MaxValue << (32 - prefixLength)
            : UInt128.MaxValue << (128 - prefixLength);
    }

    /// <summary>The address as an integer in network byte order; call with a normalised address.</summary>
    internal static UInt128 ToInteger(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static IPAddress FromInteger(AddressFamily family, UInt128 value)
    {
        if (family == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)value);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, value);
        return new IPAddress(v6);
    }
}
