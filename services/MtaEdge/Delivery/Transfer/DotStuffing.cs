using System.Buffers;

namespace Gateway.MtaEdge.Delivery.Transfer;

/// <summary>Prepares message content for the DATA phase of SMTP and LMTP.</summary>
public static class DotStuffing
{
    private static ReadOnlySpan<byte> Terminator => ".\r\n"u8;

    /// <summary>
    /// Doubles a '.' at the start of each line (RFC 5321 section 4.5.2), writes every line end as
    /// CRLF (section 2.3.8 forbids bare CR and LF; the spool already holds CRLF, so this only
    /// touches malformed content), ends the last line and appends the "." terminator line.
    /// </summary>
    public static ReadOnlyMemory<byte> Encode(ReadOnlySpan<byte> content)
    {
        var output = new ArrayBufferWriter<byte>(content.Length + content.Length / 64 + 8);
        var atLineStart = true;
        var i = 0;
        while (i < content.Length)
        {
            // Copy up to the next line-end byte in one piece.
            var rest = content[i..];
            var end = rest.IndexOfAny((byte)'\r', (byte)'\n');
            var run = end < 0 ? rest : rest[..end];
            if (run.Length > 0)
            {
                if (atLineStart && run[0] == (byte)'.')
                {
                    output.Write("."u8);
                }

                output.Write(run);
                atLineStart = false;
                i += run.Length;
                if (end < 0)
                {
                    break;
                }
            }

            // content[i] is CR or LF: CRLF, a bare CR and a bare LF all become one CRLF.
            i += content[i] == (byte)'\r' && i + 1 < content.Length && content[i + 1] == (byte)'\n' ? 2 : 1;
            output.Write("\r\n"u8);
            atLineStart = true;
        }

        if (!atLineStart)
        {
            output.Write("\r\n"u8);
        }

        output.Write(Terminator);
        return output.WrittenMemory;
    }
}
