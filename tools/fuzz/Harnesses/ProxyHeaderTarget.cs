using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.MtaEdge.Smtp.Proxy;

namespace Gateway.Fuzz.Harnesses;

/// <summary>
/// The PROXY protocol v1/v2 header parser of the edge (<see cref="ProxyHeaderParser"/>): the input is the first
/// bytes a trusted proxy sends. The parser must never throw; a finding is an exception, a result that depends on
/// how the bytes were split into pipe segments, a header reported complete while a shorter prefix was not
/// incomplete, a consumed length outside the input or the spec's bounds, or a parsed address that does not survive
/// being written back as a header and parsed again.
/// </summary>
public sealed class ProxyHeaderTarget : IFuzzTarget
{
    private static readonly byte[] V2Signature = "\r\n\r\n\0\r\nQUIT\n"u8.ToArray();

    public string Name => "proxy";

    public IReadOnlyList<byte[]> Tokens { get; } = new[]
    {
        "PROXY ", "TCP4 ", "TCP6 ", "UNKNOWN", " ", "\r\n", "::ffff:", "::", "255.255.255.255", "0", "65535",
        "65536", "00", "%eth0", "\r\n\r\n\0\r\nQUIT\n", "\x21", "\x20", "\x11", "\x12", "\x31", "\xff\xff",
    }.Select(Encoding.Latin1.GetBytes).ToArray();

    public IEnumerable<byte[]> Seeds(string? corpusDir)
    {
        string[] v1 =
        [
            "PROXY TCP4 192.0.2.10 198.51.100.1 56324 25\r\nEHLO x\r\n",
            "PROXY TCP6 2001:db8::7 2001:db8::1 40000 25\r\n",
            "PROXY TCP6 ::ffff:192.0.2.1 ::1 1 65535\r\n",
            "PROXY UNKNOWN\r\n",
            "PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n",
            "PROXY TCP4 10.1 192.0.2.1 1 2\r\n",
            "PROXY TCP4 192.0.2.1 192.0.2.2 025 25\r\n",
            "PROXY TCP4 192.0.2.1  192.0.2.2 1 25\r\n",
            "PROXY TCP6 fe80::1%eth0 ::1 1 25\r\n",
            "PROXY TCP4 192.0.2.1 192.0.2.2 1 25\n",
            "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n",
            "EHLO not-a-proxy\r\n",
        ];
        foreach (var line in v1)
        {
            yield return Encoding.ASCII.GetBytes(line);
        }

        // v2: PROXY over TCP/IPv4, over TCP/IPv6 with a TLV, LOCAL, UNIX, UNSPEC, a short block, a bad version.
        yield return V2(0x21, 0x11, [192, 0, 2, 10, 198, 51, 100, 1, 0xDC, 0x04, 0, 25], "QUIT\r\n"u8);
        var v6 = new byte[36 + 7];
        v6[15] = 7;
        v6[31] = 1;
        v6[32] = 0x9C;
        v6[35] = 25;
        v6[36] = 0x04;
        v6[38] = 4;
        yield return V2(0x21, 0x21, v6, []);
        yield return V2(0x20, 0x00, [], "EHLO health\r\n"u8);
        yield return V2(0x21, 0x31, new byte[216], []);
        yield return V2(0x21, 0x00, [1, 2, 3], []);
        yield return V2(0x21, 0x11, [192, 0, 2, 10, 198, 51, 100], []);
        yield return V2(0x11, 0x11, new byte[12], []);
        yield return V2(0x21, 0x12, new byte[12], []);
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var data = input.ToArray();
        var whole = Parse(new ReadOnlySequence<byte>(data));
        CheckBounds(data, whole);

        // The pipe hands the parser whatever segments the socket produced: the split must not matter.
        foreach (var chunk in new[] { 1, 3, 16, 61 })
        {
            if (chunk < data.Length)
            {
                var split = Parse(Segmented(data, chunk));
                if (split != whole)
                {
                    throw new FuzzFinding($"in {chunk}-byte segments the result is {split}, in one it is {whole}");
                }
            }
        }

        CheckPrefixes(data, whole);
        if (whole.Status == ProxyParseStatus.Complete && whole.Header!.Source is not null)
        {
            CheckRoundTrip(whole.Header);
        }
    }

    public void Dispose()
    {
    }

    private static Result Parse(ReadOnlySequence<byte> input)
    {
        var status = ProxyHeaderParser.TryParse(input, out var header, out var consumed, out var error);
        return new Result(status, header, consumed, error);
    }

    private static void CheckBounds(byte[] data, Result result)
    {
        switch (result.Status)
        {
            case ProxyParseStatus.Incomplete when result.Header is not null || result.Consumed != 0:
                throw new FuzzFinding("an incomplete header came with a result: " + result);
            case ProxyParseStatus.Invalid when result.Header is not null || result.Error.Length == 0:
                throw new FuzzFinding("an invalid header came with a header or without a reason: " + result);
            case ProxyParseStatus.Complete:
                var header = result.Header ?? throw new FuzzFinding("complete without a header");
                var limit = header.Version == 1 ? ProxyHeaderParser.MaxV1Length : 16 + ProxyHeaderParser.MaxV2Length;
                if (result.Consumed < 1 || result.Consumed > data.Length || result.Consumed > limit)
                {
                    throw new FuzzFinding($"consumed {result.Consumed} of {data.Length} bytes (limit {limit})");
                }

                if (header.Version == 1 && !data.AsSpan(0, (int)result.Consumed).EndsWith("\r\n"u8))
                {
                    throw new FuzzFinding("a v1 header was consumed without its CRLF");
                }

                if (header.Version == 2
                    && result.Consumed != 16 + BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(14)))
                {
                    throw new FuzzFinding("a v2 header was consumed with a length other than its own");
                }

                if ((header.Source is null) != (header.Destination is null)
                    || (header.Source is { } s && s.AddressFamily != header.Destination!.AddressFamily))
                {
                    throw new FuzzFinding("source and destination disagree: " + header);
                }

                break;
        }
    }

    private static void CheckPrefixes(byte[] data, Result whole)
    {
        var end = whole.Status == ProxyParseStatus.Complete ? (int)whole.Consumed : data.Length;

        // A few prefixes, not all: the full check is quadratic and the interesting ones are at the edges.
        foreach (var length in new[] { end - 1, end - 2, end / 2, 15, 16, 6, 1 }.Distinct())
        {
            if (length <= 0 || length >= end)
            {
                continue;
            }

            var prefix = Parse(new ReadOnlySequence<byte>(data, 0, length));
            var allowed = whole.Status == ProxyParseStatus.Invalid
                ? prefix.Status != ProxyParseStatus.Complete
                : prefix.Status == ProxyParseStatus.Incomplete;
            if (!allowed)
            {
                throw new FuzzFinding($"the first {length} bytes gave {prefix}, all {data.Length} gave {whole}");
            }
        }

        if (whole.Status == ProxyParseStatus.Complete)
        {
            var exact = Parse(new ReadOnlySequence<byte>(data, 0, end));
            if (exact != whole)
            {
                throw new FuzzFinding($"the header alone gave {exact}, with what follows {whole}");
            }
        }
    }

    private static void CheckRoundTrip(ProxyHeader header)
    {
        var source = header.Source!;
        var destination = header.Destination!;
        byte[] again;
        if (header.Version == 1)
        {
            var family = source.AddressFamily == AddressFamily.InterNetwork ? "TCP4" : "TCP6";
            again = Encoding.ASCII.GetBytes(
                $"PROXY {family} {source.Address} {destination.Address} {source.Port} {destination.Port}\r\n");
        }
        else
        {
            var v6 = source.AddressFamily == AddressFamily.InterNetworkV6;
            var block = new byte[v6 ? 36 : 12];
            var width = v6 ? 16 : 4;
            source.Address.TryWriteBytes(block, out _);
            destination.Address.TryWriteBytes(block.AsSpan(width), out _);
            BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(2 * width), (ushort)source.Port);
            BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(2 * width + 2), (ushort)destination.Port);
            again = V2(0x21, (byte)(v6 ? 0x21 : 0x11), block, []);
        }

        var reparsed = Parse(new ReadOnlySequence<byte>(again));
        if (reparsed.Status != ProxyParseStatus.Complete || !Equals(reparsed.Header!.Source, source)
            || !Equals(reparsed.Header.Destination, destination))
        {
            throw new FuzzFinding(
                $"{header} written back as '{Encoding.Latin1.GetString(again)}' parses as {reparsed}");
        }
    }

    private static byte[] V2(byte versionCommand, byte familyProtocol, byte[] block, ReadOnlySpan<byte> after)
    {
        var bytes = new byte[16 + block.Length + after.Length];
        V2Signature.CopyTo(bytes, 0);
        bytes[12] = versionCommand;
        bytes[13] = familyProtocol;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(14), (ushort)block.Length);
        block.CopyTo(bytes, 16);
        after.CopyTo(bytes.AsSpan(16 + block.Length));
        return bytes;
    }

    private static ReadOnlySequence<byte> Segmented(byte[] data, int chunk)
    {
        Segment? first = null, last = null;
        for (var at = 0; at < data.Length; at += chunk)
        {
            var piece = data.AsMemory(at, Math.Min(chunk, data.Length - at));
            last = last is null ? first = new Segment(piece, 0) : last.Append(piece);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private readonly record struct Result(ProxyParseStatus Status, ProxyHeader? Header, long Consumed, string Error);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
