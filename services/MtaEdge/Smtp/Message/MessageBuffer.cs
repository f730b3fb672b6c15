using System.Buffers;

namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>
/// The content of one message as it arrives, in one growing array that never grows past its
/// limit: a client sending more than the limit costs the server no more memory than the limit.
/// Arrays up to <see cref="MaxPooledBytes"/> come from the shared pool and go back on
/// <see cref="Clear"/>, so typical mail does not cost a fresh zeroed array per message; larger
/// ones are allocated and left to the collector, so no idle pool holds on to big messages.
/// </summary>
public sealed class MessageBuffer
{
    private const int InitialCapacity = 16 * 1024;
    private const int MaxPooledBytes = 1024 * 1024;

    private readonly long _limit;
    private byte[] _bytes = Array.Empty<byte>();

    public MessageBuffer(long limitBytes)
    {
        _limit = limitBytes;
    }

    public int Length { get; private set; }

    /// <summary>The content; valid until the next append or <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    /// <summary>The content; valid until the next append or <see cref="Clear"/> (the array may be reused).</summary>
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
        Release(_bytes);
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
        var grown = capacity <= MaxPooledBytes ? ArrayPool<byte>.Shared.Rent((int)capacity) : new byte[capacity];
        _bytes.AsSpan(0, Length).CopyTo(grown);
        Release(_bytes);
        _bytes = grown;
    }

    private static void Release(byte[] bytes)
    {
        // Only what the pool handed out goes back (an empty array or a big allocated one never does).
        if (bytes.Length is > 0 and <= MaxPooledBytes)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
