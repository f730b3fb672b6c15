using Gateway.MtaEdge.Smtp.Message;

namespace Gateway.MtaEdge.Smtp.Protocol;

/// <summary>
/// What DATA and BDAT decoding share once the framing is taken off: the content with its size and line limits, and
/// the refusal marks. The framing (dot-stuffing and the end of data, or chunks) is each subclass's own.
/// </summary>
public abstract class MessageDecoder : IMessageDecoder
{
    private readonly MessageBuffer _content;
    private readonly int _maxLineBytes;
    private long _lineBytes;

    protected MessageDecoder(long maxMessageBytes, int maxTextLineBytes)
    {
        _content = new MessageBuffer(maxMessageBytes);
        _maxLineBytes = maxTextLineBytes;
    }

    public MessageBuffer Content => _content;

    /// <summary>A CR not followed by LF, or an LF not preceded by CR, occurred in the content.</summary>
    public bool HasBareLineEnd { get; private set; }

    /// <summary>The message passed the size limit; its content was not kept.</summary>
    public bool IsTooLarge { get; private set; }

    /// <summary>A line passed the line limit.</summary>
    public bool HasLongLine { get; private set; }

    /// <summary>Octets of message content seen, kept or not.</summary>
    public long ContentBytes { get; private set; }

    /// <summary>True once a limit was hit: the rest is only counted, never kept.</summary>
    public bool IsRefused => HasBareLineEnd || IsTooLarge || HasLongLine;

    /// <summary>A CRLF was emitted: the next octets start a new line.</summary>
    protected void EndLine() => _lineBytes = 0;

    protected void MarkBareLineEnd()
    {
        HasBareLineEnd = true;
        _content.Clear();
    }

    protected void Emit(byte value) => Emit(new ReadOnlySpan<byte>(in value));

    /// <summary>Counts content octets against the limits and keeps them while nothing refused the message.</summary>
    protected void Emit(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        ContentBytes += data.Length;
        _lineBytes += data.Length;
        if (_lineBytes > _maxLineBytes && !HasLongLine)
        {
            HasLongLine = true;
            _content.Clear();
        }

        if (IsRefused)
        {
            return;
        }

        if (!_content.TryAppend(data))
        {
            IsTooLarge = true;
            _content.Clear();
        }
    }
}
