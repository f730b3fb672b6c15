using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Gateway.SenderIntelligence.Networks;

namespace Gateway.SenderIntelligence.Dnsbl;

/// <summary>
/// Which answers of a zone mean "listed". RFC 5782 section 2.1 puts list entries in 127.0.0.0/8; operators encode
/// the reason in the last octets, so a filter can count only some of them (for example an operator's policy
/// block list but not its end-user ranges).
/// </summary>
public sealed class ReturnCodeFilter
{
    private readonly (uint From, uint To)[] _ranges;

    private ReturnCodeFilter((uint From, uint To)[] ranges)
    {
        _ranges = ranges;
    }

    /// <summary>
    /// Any answer in 127.0.0.0/8 except 127.0.0.1 (the "not listed" test point) and 127.255.255.0/24, which some
    /// operators answer with to say that the query itself was refused, not that the address is listed.
    /// </summary>
    public static ReturnCodeFilter Any { get; } = new([(0x7F000002, 0x7FFEFFFF), (0x7FFF0000, 0x7FFFFEFF)]);

    /// <summary>Parses entries "127.0.0.2" or "127.0.0.4-127.0.0.7"; empty means <see cref="Any"/>.</summary>
    public static bool TryParse(IReadOnlyList<string>? entries, out ReturnCodeFilter filter, out string error)
    {
        filter = Any;
        error = "";
        if (entries is null || entries.Count == 0)
        {
            return true;
        }

        var ranges = new List<(uint, uint)>();
        foreach (var entry in entries)
        {
            var dash = entry.IndexOf('-', StringComparison.Ordinal);
            var fromText = dash < 0 ? entry : entry[..dash];
            var toText = dash < 0 ? entry : entry[(dash + 1)..];
            if (!TryV4(fromText, out var from) || !TryV4(toText, out var to) || to < from)
            {
                error = $"'{entry}' is not a return code: expected an IPv4 address such as 127.0.0.2 or a range " +
                        "such as 127.0.0.4-127.0.0.7";
                return false;
            }

            ranges.Add((from, to));
        }

        filter = new ReturnCodeFilter(ranges.ToArray());
        return true;
    }

    public bool Matches(IPAddress answer)
    {
        if (answer.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        answer.TryWriteBytes(bytes, out _);
        var value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        foreach (var (from, to) in _ranges)
        {
            if (value >= from && value <= to)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryV4(string text, out uint value)
    {
        value = 0;
        if (!IpAddressParser.TryParse(text, out var address, out _)
            || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return true;
    }
}
