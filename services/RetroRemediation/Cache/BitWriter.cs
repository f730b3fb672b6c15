namespace Gateway.RetroRemediation.Cache;

/// <summary>Packs values of a few bits each, most significant bit first, for <see cref="PackedText"/>.</summary>
internal sealed class BitWriter
{
    private readonly List<byte> _bytes;
    private int _used = 8;

    public BitWriter(int capacity)
    {
        _bytes = new List<byte>(capacity);
    }

    public void Write(uint value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            if (_used == 8)
            {
                _bytes.Add(0);
                _used = 0;
            }

            if (((value >> i) & 1) != 0)
            {
                _bytes[^1] |= (byte)(0x80 >> _used);
            }

            _used++;
        }
    }

    public byte[] ToArray() => _bytes.ToArray();
}
