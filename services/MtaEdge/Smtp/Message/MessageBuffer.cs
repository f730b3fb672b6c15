namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>
/// The content of one message as it arrives, in one growing array that never grows past its
/// limit: a client sending more than the limit costs the server no more memory than the limit.
/// </summary>
public sealed class MessageBuffer
{
    private const int InitialCapacity = 16 * 1024;

    private readonly long _limit;
    private byte[] _bytes = Array.Empty<byte>();

    public MessageBuffer(long limitBytes)
    {
        _limit = limitBytes;
    }

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _bytes.AsMemory(0, Length);

    /// <summary>Appends the bytes; false (and nothing appended) when they would pass the limit.</summary>
    public bool TryAppend(ReadOnlySpan<byte> data)
    {
        if (Length + (long)data.Length > _limit)
        {
            return false;
        }

        EnsureCapacity(Length + data.Length);
        data.CopyTo(_bytes.AsSpan(Length));
        Length += data.Length;
        return true;
    }

    public bool TryAppend(byte value) => TryAppend(new ReadOnlySpan<byte>(in value));

    /// <summary>Drops the content and its memory.</summary>
    public void Clear()
    {
        _bytes = Array.Empty<byte>();
        Length = 0;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _bytes.Length)
        {
            return;
        }

        var capacity = Math.Max(InitialCapacity, (long)_bytes.Length * 2);
        capacity = Math.Min(Math.Max(capacity, needed), _limit);
        Array.Resize(ref _bytes, (int)capacity);
    }
}
