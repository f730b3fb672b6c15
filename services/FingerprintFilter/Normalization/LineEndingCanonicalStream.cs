namespace Gateway.FingerprintFilter.Normalization;

/// <summary>
/// A write-only filter for line-oriented content (7bit, 8bit, quoted-printable): CRLF becomes LF
/// and line breaks at the very end are dropped when the stream is completed. RFC 2046 section 5.1.1
/// makes the CRLF before a boundary delimiter part of the delimiter, and RFC 5321 transport adds
/// CRLF at will, so neither the line-end convention nor the final newline is content.
/// </summary>
public sealed class LineEndingCanonicalStream : Stream
{
    private readonly Stream _inner;
    private int _pendingNewlines;
    private bool _pendingCarriageReturn;

    public LineEndingCanonicalStream(Stream inner) => _inner = inner;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        foreach (var b in buffer)
        {
            if (_pendingCarriageReturn)
            {
                _pendingCarriageReturn = false;
                if (b == (byte)'\n')
                {
                    _pendingNewlines++;
                    continue;
                }

                // A bare CR is data, not a line end.
                EmitPending();
                _inner.WriteByte((byte)'\r');
            }

            switch (b)
            {
                case (byte)'\r':
                    _pendingCarriageReturn = true;
                    break;
                case (byte)'\n':
                    _pendingNewlines++;
                    break;
                default:
                    EmitPending();
                    _inner.WriteByte(b);
                    break;
            }
        }
    }

    /// <summary>Ends the content: trailing line breaks are dropped, a dangling bare CR is kept.</summary>
    public void Complete()
    {
        if (_pendingCarriageReturn)
        {
            EmitPending();
            _inner.WriteByte((byte)'\r');
            _pendingCarriageReturn = false;
        }

        _pendingNewlines = 0;
        _inner.Flush();
    }

    public override void Flush()
    {
        // Pending line breaks are held back on purpose until more data or Complete() decides them.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void EmitPending()
    {
        for (; _pendingNewlines > 0; _pendingNewlines--)
        {
            _inner.WriteByte((byte)'\n');
        }
    }
}
