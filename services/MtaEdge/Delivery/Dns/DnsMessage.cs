using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Gateway.MtaEdge.Delivery.Dns;

/// <summary>
/// Builds DNS queries and reads responses (RFC 1035 section 4), for the three record types delivery
/// needs: MX, A and AAAA. Every length and pointer in a response is checked; anything malformed is a
/// failed lookup, never an exception.
/// </summary>
public static class DnsMessage
{
    public const ushort TypeA = 1;
    public const ushort TypeCname = 5;
    public const ushort TypeMx = 15;
    public const ushort TypeAaaa = 28;

    private const int MaxNameLength = 255;
    private const int MaxPointerJumps = 32;

    /// <summary>A standard query with recursion desired (RD) for one name and type, class IN.</summary>
    /// <exception cref="ArgumentException">The name is not a valid DNS name.</exception>
    public static byte[] Query(ushort id, string name, ushort type)
    {
        var output = new List<byte>(name.Length + 18);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        header[2] = 0x01; // RD
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1); // QDCOUNT
        output.AddRange(header.ToArray());
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63 || label.Any(c => c > 0x7E || c <= ' '))
            {
                throw new ArgumentException($"'{name}' is not a DNS name", nameof(name));
            }

            output.Add((byte)bytes.Length);
            output.AddRange(bytes);
        }

        output.Add(0);
        output.Add((byte)(type >> 8));
        output.Add((byte)type);
        output.Add(0);
        output.Add(1); // IN
        if (output.Count - 16 > MaxNameLength)
        {
            throw new ArgumentException($"'{name}' is too long for DNS", nameof(name));
        }

        return output.ToArray();
    }

    /// <summary>True when the response is truncated (TC): ask again over TCP.</summary>
    public static bool IsTruncated(ReadOnlySpan<byte> response) => response.Length >= 3 && (response[2] & 0x02) != 0;

    /// <summary>
    /// Reads the answer section of a response to the query with <paramref name="id"/> for records of
    /// <paramref name="type"/>.
    /// </summary>
    public static DnsAnswer Parse(ReadOnlySpan<byte> response, ushort id, ushort type)
    {
        if (response.Length < 12)
        {
            return DnsAnswer.Failed("response shorter than a header");
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(response) != id || (response[2] & 0x80) == 0)
        {
            return DnsAnswer.Failed("response does not match the query");
        }

        var rcode = response[3] & 0x0F;
        if (rcode == 3)
        {
            return new DnsAnswer(DnsLookupStatus.NameError, [], []);
        }

        if (rcode != 0)
        {
            return DnsAnswer.Failed($"server answered RCODE {rcode}");
        }

        var questions = BinaryPrimitives.ReadUInt16BigEndian(response[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(response[6..]);
        var position = 12;
        for (var i = 0; i < questions; i++)
        {
            if (!TryReadName(response, ref position, out _) || position + 4 > response.Length)
            {
                return DnsAnswer.Failed("malformed question section");
            }

            position += 4;
        }

        var exchanges = new List<MxRecord>();
        var addresses = new List<IPAddress>();
        for (var i = 0; i < answers; i++)
        {
            if (!TryReadName(response, ref position, out _) || position + 10 > response.Length)
            {
                return DnsAnswer.Failed("malformed answer record");
            }

            var recordType = BinaryPrimitives.ReadUInt16BigEndian(response[position..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(response[(position + 8)..]);
            position += 10;
            if (position + length > response.Length)
            {
                return DnsAnswer.Failed("answer record longer than the response");
            }

            var data = response.Slice(position, length);
            var dataStart = position;
            position += length;

            // Records of other types (the CNAME chain the server followed) are skipped.
            if (recordType != type)
            {
                continue;
            }

            switch (recordType)
            {
                case TypeA when length == 4:
                    addresses.Add(new IPAddress(data));
                    break;
                case TypeAaaa when length == 16:
                    addresses.Add(new IPAddress(data));
                    break;
                case TypeMx when length >= 3:
                    var exchangeAt = dataStart + 2;
                    if (!TryReadName(response, ref exchangeAt, out var exchange) || exchangeAt != dataStart + length)
                    {
                        return DnsAnswer.Failed("malformed MX record");
                    }

                    exchanges.Add(new MxRecord(BinaryPrimitives.ReadUInt16BigEndian(data), exchange));
                    break;
                default:
                    return DnsAnswer.Failed($"record of type {recordType} has a bad length");
            }
        }

        return new DnsAnswer(DnsLookupStatus.Ok, exchanges, addresses);
    }

    /// <summary>Reads a possibly compressed name (RFC 1035 4.1.4); "" for the root.</summary>
    private static bool TryReadName(ReadOnlySpan<byte> message, ref int position, out string name)
    {
        name = "";
        var builder = new StringBuilder();
        var at = position;
        var jumps = 0;
        var end = -1;
        while (true)
        {
            if (at >= message.Length)
            {
                return false;
            }

            var length = message[at];
            if ((length & 0xC0) == 0xC0)
            {
                if (at + 1 >= message.Length || ++jumps > MaxPointerJumps)
                {
                    return false;
                }

                if (end < 0)
                {
                    end = at + 2;
                }

                at = ((length & 0x3F) << 8) | message[at + 1];
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                return false;
            }

            if (length == 0)
            {
                position = end < 0 ? at + 1 : end;
                name = builder.ToString();
                return true;
            }

            if (at + 1 + length > message.Length || builder.Length + length + 1 > MaxNameLength)
            {
                return false;
            }

            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            foreach (var octet in message.Slice(at + 1, length))
            {
                // Names are only ever used as host names: anything outside LDH is refused later, but
                // never let a control character into a log line.
                builder.Append(octet is > 0x20 and < 0x7F ? (char)octet : '?');
            }

            at += 1 + length;
        }
    }
}
