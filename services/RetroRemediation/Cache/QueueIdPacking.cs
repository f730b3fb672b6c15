namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// Queue ids of the MTA edge (24 Crockford base32 characters: 48 bits of Unix milliseconds, a 22-bit
/// counter, 50 random bits; see Gateway.MtaEdge.Queue.QueueIdGenerator) in about 11 bytes instead of 15:
/// the time is stored as the difference from the delivery time, which is small. Any other queue id is
/// stored as <see cref="PackedText"/>. A varint mode comes first: 0 = packed text, 1 = this form.
/// </summary>
internal static class QueueIdPacking
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Length = 24;
    private const int CounterBits = 22;
    private const int RandomBits = 50;

    public static void Write(ByteWriter writer, string queueId, long deliveredAtMilliseconds)
    {
        if (!TryParse(queueId, out var value))
        {
            writer.VarUInt(0);
            PackedText.Write(writer, queueId);
            return;
        }

        var milliseconds = (long)(value >> (CounterBits + RandomBits));
        var counter = (ulong)(value >> RandomBits) & ((1UL << CounterBits) - 1);
        var random = (ulong)value & ((1UL << RandomBits) - 1);
        writer.VarUInt(1);
        writer.VarInt(milliseconds - deliveredAtMilliseconds);
        writer.VarUInt(counter);
        Span<byte> bytes = stackalloc byte[7];
        for (var i = 6; i >= 0; i--)
        {
            bytes[i] = (byte)random;
            random >>= 8;
        }

        writer.Bytes(bytes);
    }

    public static string Read(ref ByteReader reader, long deliveredAtMilliseconds)
    {
        var mode = reader.VarUInt();
        if (mode == 0)
        {
            return PackedText.Read(ref reader);
        }

        if (mode != 1)
        {
            throw new FormatException("unknown queue id form");
        }

        var milliseconds = deliveredAtMilliseconds + reader.VarInt();
        var counter = reader.VarUInt();
        ulong random = 0;
        foreach (var b in reader.Bytes(7))
        {
            random = random << 8 | b;
        }

        if (milliseconds < 0 || milliseconds >= 1L << 48 || counter >= 1UL << CounterBits
            || random >= 1UL << RandomBits)
        {
            throw new FormatException("queue id out of range");
        }

        var value = (UInt128)(ulong)milliseconds << (CounterBits + RandomBits)
            | (UInt128)counter << RandomBits
            | random;
        Span<char> text = stackalloc char[Length];
        for (var i = Length - 1; i >= 0; i--)
        {
            text[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(text);
    }

    private static bool TryParse(string queueId, out UInt128 value)
    {
        value = 0;
        if (queueId.Length != Length)
        {
            return false;
        }

        foreach (var c in queueId)
        {
            var digit = Alphabet.IndexOf(c);
            if (digit < 0)
            {
                return false;
            }

            value = value << 5 | (uint)digit;
        }

        return true;
    }
}
