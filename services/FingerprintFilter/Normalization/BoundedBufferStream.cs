namespace Gateway.FingerprintFilter.Normalization;

/// <summary>
/// A write-only in-memory sink that keeps at most <c>capacity</c> bytes and silently discards the rest,
/// so decoding a huge text part costs bounded memory. The cut is deterministic: equal inputs keep
/// equal prefixes.
/// </summary>
public sealed class BoundedBufferStream : Stream
{
    private readonly MemoryStream _buffer = new();
    private readonly int _capacity;

    public BoundedBufferStream(int capacity) => _capacity = capacity;

    /// <summary>True when something was discarded.</summary>
    public bool Truncated { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _buffer.Length;

    public override long Position
    {
        get => _buffer.Length;
        set => throw new NotSupportedException();
    }

    /// <summary>The kept bytes.</summary>
    public ReadOnlySpan<byte> Kept => _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var room = _capacity - (int)_buffer.Length;
        if (buffer.Length > room)
        {
            Truncated = true;
            buffer = buffer[..Math.Max(0, room)];
        }

        _buffer.Write(buffer);
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
        }

        base.Dispose(disposing);
    }
}
