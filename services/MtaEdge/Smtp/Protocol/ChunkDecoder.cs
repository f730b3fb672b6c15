namespace Gateway.MtaEdge.Smtp.Protocol;

/// <summary>
/// Collects the chunks of one BDAT transaction (RFC 3030). The octets are the message itself: no
/// dot-stuffing and no terminator, so nothing inside a chunk can ever end it early. The same limits
/// apply as to DATA: size (RFC 1870, enforced while streaming), line length, and lines ending only
/// in CRLF; 7BIT and 8BITMIME content has no bare CR or LF (RFC 5322 2.3), and refusing them keeps
/// the message safe to relay over DATA later. The state carries across chunk boundaries, so a CRLF
/// split between two chunks is still one line end.
/// </summary>
public sealed class ChunkDecoder(long maxMessageBytes, int maxTextLineBytes)
    : MessageDecoder(maxMessageBytes, maxTextLineBytes)
{
    private bool _afterCr;

    /// <summary>Chunks received so far.</summary>
    public int Chunks { get; set; }

    /// <summary>Takes the next octets of the current chunk.</summary>
    public void Feed(ReadOnlySpan<byte> input)
    {
        while (!input.IsEmpty)
        {
            if (_afterCr)
            {
                _afterCr = false;
                if (input[0] == (byte)'\n')
                {
                    Emit("\r\n"u8);
                    EndLine();
                    input = input[1..];
                    continue;
                }

                MarkBareLineEnd();
                Emit("\r"u8);
            }

            var stop = input.IndexOfAny((byte)'\r', (byte)'\n');
            var run = stop < 0 ? input : input[..stop];
            Emit(run);
            if (stop < 0)
            {
                return;
            }

            if (input[stop] == (byte)'\r')
            {
                _afterCr = true;
            }
            else
            {
                MarkBareLineEnd();
                Emit("\n"u8);
            }

            input = input[(stop + 1)..];
        }
    }

    /// <summary>
    /// After the LAST chunk: a CR left hanging is bare, and content whose last line lacks its CRLF
    /// gets one, as every delivered message must end with a line end (RFC 5322 2.1).
    /// </summary>
    public void Finish()
    {
        if (_afterCr)
        {
            _afterCr = false;
            MarkBareLineEnd();
            return;
        }

        if (!IsRefused && Content.Length > 0 && !Content.Span.EndsWith("\r\n"u8))
        {
            Emit("\r\n"u8);
        }
    }
}
