namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// Reads what <see cref="ByteWriter"/> wrote. Cache bytes come from a shared Redis and may be damaged:
/// every read is bounds-checked and throws <see cref="FormatException"/>, never reads past the end.
/// </summary>
internal ref struct ByteReader
{
    private readonly ReadOnlySpan<byte> _data;

    public ByteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    public byte Byte()
    {
        if (Position >= _data.Length)
        {
            throw new FormatException("cache entry ends early");
        }

        return _data[Position++];
    }

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new FormatException("cache entry ends early");
        }

        var slice = _data.Slice(Position, count);
        Position += count;
        return slice;
    }

    /// <summary>Everything not read yet, without consuming it.</summary>
    public readonly ReadOnlySpan<byte> Rest => _data[Position..];

    public void Skip(int count) => Bytes(count);

    public ulong VarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("varint too long");
    }

    public long VarInt()
    {
        var raw = VarUInt();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public int Length32(int max)
    {
        var value = VarUInt();
        if (value > (ulong)max)
        {
            throw new FormatException($"length {value} is larger than {max}");
        }

        return (int)value;
    }

    public uint UInt24()
    {
        var span = Bytes(3);
        return (uint)(span[0] << 16 | span[1] << 8 | span[2]);
    }
}
