using System.Text;

namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// Short strings (Message-IDs, queue ids, local parts, file names) in fewer bytes than UTF-8. A varint
/// header holds <c>count &lt;&lt; 2 | mode</c>:
/// <list type="table">
/// <item><term>0</term><description>UTF-8 bytes; count is the byte count.</description></item>
/// <item><term>1</term><description>6-bit symbols: <c>0-9 a-z A-Z .</c> are one symbol each, anything
/// else is the escape symbol plus one raw UTF-8 byte; count is the symbol count.</description></item>
/// <item><term>2</term><description>Crockford base32 (queue ids), 5 bits a character.</description></item>
/// <item><term>3</term><description>As 1, for a value in angle brackets (a Message-ID); the brackets are
/// implied.</description></item>
/// </list>
/// The writer picks the shortest mode; the packed bits end on a byte boundary.
/// </summary>
internal static class PackedText
{
    public const int MaxChars = 8192;

    private const string Alphabet64 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.";
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Escape = 63;

    private static readonly sbyte[] Codes64 = BuildCodes(Alphabet64);
    private static readonly sbyte[] Codes32 = BuildCodes(Crockford);

    public static void Write(ByteWriter writer, string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        var best = Raw(utf8);
        Candidate(ref best, Six(utf8, 1));
        if (value.Length >= 2 && value[0] == '<' && value[^1] == '>')
        {
            Candidate(ref best, Six(utf8.AsSpan(1, utf8.Length - 2).ToArray(), 3));
        }

        if (utf8.Length > 0 && utf8.All(b => b < 128 && Codes32[b] >= 0))
        {
            Candidate(ref best, Base32(utf8));
        }

        writer.Bytes(best);
    }

    public static string Read(ref ByteReader reader)
    {
        var header = reader.VarUInt();
        var mode = (int)(header & 3);
        var count = header >> 2;
        if (count > MaxChars)
        {
            throw new FormatException("packed text too long");
        }

        var n = (int)count;
        return mode switch
        {
            0 => Encoding.UTF8.GetString(reader.Bytes(n)),
            1 => ReadSix(ref reader, n, ""),
            2 => ReadBase32(ref reader, n),
            _ => ReadSix(ref reader, n, "<"),
        };
    }

    private static void Candidate(ref byte[] best, byte[] candidate)
    {
        if (candidate.Length < best.Length)
        {
            best = candidate;
        }
    }

    private static byte[] Raw(byte[] utf8)
    {
        var w = new ByteWriter(utf8.Length + 3);
        w.VarUInt((ulong)utf8.Length << 2);
        w.Bytes(utf8);
        return w.ToArray();
    }

    private static byte[] Six(byte[] utf8, int mode)
    {
        var bits = new BitWriter(utf8.Length);
        foreach (var b in utf8)
        {
            var code = b < 128 ? Codes64[b] : (sbyte)-1;
            if (code >= 0)
            {
                bits.Write((uint)code, 6);
            }
            else
            {
                bits.Write(Escape, 6);
                bits.Write(b, 8);
            }
        }

        var w = new ByteWriter(utf8.Length + 3);
        w.VarUInt((ulong)utf8.Length << 2 | (uint)mode);
        w.Bytes(bits.ToArray());
        return w.ToArray();
    }

    private static byte[] Base32(byte[] ascii)
    {
        var bits = new BitWriter(ascii.Length);
        foreach (var b in ascii)
        {
            bits.Write((uint)Codes32[b], 5);
        }

        var w = new ByteWriter(ascii.Length + 3);
        w.VarUInt((ulong)ascii.Length << 2 | 2);
        w.Bytes(bits.ToArray());
        return w.ToArray();
    }

    private static string ReadSix(ref ByteReader reader, int symbols, string brackets)
    {
        var data = reader.Rest;
        var bytes = new byte[symbols];
        var bit = 0L;
        for (var i = 0; i < symbols; i++)
        {
            var code = ReadBits(data, ref bit, 6);
            bytes[i] = code == Escape ? (byte)ReadBits(data, ref bit, 8) : (byte)Alphabet64[(int)code];
        }

        reader.Skip((int)((bit + 7) >> 3));
        var text = Encoding.UTF8.GetString(bytes);
        return brackets.Length > 0 ? "<" + text + ">" : text;
    }

    private static string ReadBase32(ref ByteReader reader, int chars)
    {
        var data = reader.Rest;
        var bit = 0L;
        var text = new char[chars];
        for (var i = 0; i < chars; i++)
        {
            text[i] = Crockford[(int)ReadBits(data, ref bit, 5)];
        }

        reader.Skip((int)((bit + 7) >> 3));
        return new string(text);
    }

    /// <summary>Reads <paramref name="count"/> bits, most significant first, from a bit position.</summary>
    private static uint ReadBits(ReadOnlySpan<byte> data, ref long bit, int count)
    {
        if (bit + count > (long)data.Length * 8)
        {
            throw new FormatException("packed text ends early");
        }

        uint value = 0;
        for (var i = 0; i < count; i++, bit++)
        {
            value = value << 1 | (uint)((data[(int)(bit >> 3)] >> (7 - (int)(bit & 7))) & 1);
        }

        return value;
    }

    private static sbyte[] BuildCodes(string alphabet)
    {
        var codes = Enumerable.Repeat((sbyte)-1, 128).ToArray();
        for (var i = 0; i < alphabet.Length; i++)
        {
            codes[alphabet[i]] = (sbyte)i;
        }

        return codes;
    }
}
