namespace Gateway.RetroRemediation.Cache;

/// <summary>Appends the compact binary fields of a cache entry: bytes, unsigned and zigzag varints.</summary>
internal sealed class ByteWriter
{
    private byte[] _buffer;

    public ByteWriter(int capacity = 128)
    {
        _buffer = new byte[capacity];
    }

    public int Length { get; private set; }

    public void Byte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
    }

    /// <summary>LEB128: seven bits per byte, low first, high bit set on all but the last.</summary>
    public void VarUInt(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[Length++] = (byte)value;
    }

    /// <summary>Zigzag, so small negative numbers stay short too.</summary>
    public void VarInt(long value) => VarUInt((ulong)((value << 1) ^ (value >> 63)));

    public void UInt24(uint value)
    {
        Ensure(3);
        _buffer[Length++] = (byte)(value >> 16);
        _buffer[Length++] = (byte)(value >> 8);
        _buffer[Length++] = (byte)value;
    }

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

    public static int VarUIntLength(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    private void Ensure(int more)
    {
        if (Length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + more));
        }
    }
}
