namespace Gateway.MtaEdge.Smtp.Protocol;

/// <summary>
/// Turns the DATA stream into message content: removes dot-stuffing (RFC 5321 4.5.2) and finds the
/// end of data, which is only ever CRLF "." CRLF (RFC 5321 4.1.1.4, 2.3.8). A bare CR or LF never
/// ends a line; it marks the whole message for refusal, so nothing a client hides after a bogus
/// LF "." LF can ever be read as a command (SMTP smuggling). Bytes are kept as sent, NUL included.
/// Once the message is known to be refused the content is no longer kept, only scanned for the end.
/// </summary>
public sealed class DataDecoder(long maxMessageBytes, int maxTextLineBytes)
    : MessageDecoder(maxMessageBytes, maxTextLineBytes)
{
    private State _state = State.LineStart;

    private enum State
    {
        /// <summary>At the start of a line: after CRLF, or the first byte of the data.</summary>
        LineStart,

        /// <summary>A line that began with "."; the dot is held back.</summary>
        Dot,

        /// <summary>A line that is so far "." CR: LF next ends the data.</summary>
        DotCr,

        /// <summary>Inside a line.</summary>
        Text,

        /// <summary>Inside a line, after a CR: LF next ends the line, anything else makes the CR bare.</summary>
        Cr,

        Done,
    }

    public bool IsComplete => _state == State.Done;

    /// <summary>
    /// Consumes bytes up to and including the end of data. Returns how many bytes of
    /// <paramref name="input"/> were used; <paramref name="done"/> tells whether the end was found
    /// (the rest of the input then belongs to the next command).
    /// </summary>
    public int Feed(ReadOnlySpan<byte> input, out bool done)
    {
        var i = 0;
        while (i < input.Length && _state != State.Done)
        {
            var b = input[i];
            switch (_state)
            {
                case State.LineStart:
                    EndLine();
                    if (b == (byte)'.')
                    {
                        _state = State.Dot;
                        i++;
                    }
                    else
                    {
                        _state = State.Text;
                    }

                    break;

                case State.Dot:
                    if (b == (byte)'\r')
                    {
                        _state = State.DotCr;
                        i++;
                    }
                    else
                    {
                        // A leading dot with more on the line is stuffing: drop it (RFC 5321 4.5.2).
                        _state = State.Text;
                    }

                    break;

                case State.DotCr:
                    if (b == (byte)'\n')
                    {
                        _state = State.Done;
                        i++;
                    }
                    else
                    {
                        // "." CR and something other than LF: the dot was stuffing, the CR is bare.
                        MarkBareLineEnd();
                        Emit((byte)'\r');
                        _state = State.Text;
                    }

                    break;

                case State.Text:
                    i += EmitText(input[i..]);
                    break;

                case State.Cr:
                    if (b == (byte)'\n')
                    {
                        Emit("\r\n"u8);
                        _state = State.LineStart;
                        i++;
                    }
                    else
                    {
                        MarkBareLineEnd();
                        Emit((byte)'\r');
                        _state = State.Text;
                    }

                    break;
            }
        }

        done = _state == State.Done;
        return i;
    }

    /// <summary>Copies ordinary text up to the next CR or LF and handles that byte; returns bytes used.</summary>
    private int EmitText(ReadOnlySpan<byte> input)
    {
        var stop = input.IndexOfAny((byte)'\r', (byte)'\n');
        var run = stop < 0 ? input : input[..stop];
        Emit(run);
        if (stop < 0)
        {
            return run.Length;
        }

        if (input[stop] == (byte)'\r')
        {
            _state = State.Cr;
        }
        else
        {
            MarkBareLineEnd();
            Emit((byte)'\n');
        }

        return stop + 1;
    }
}
