using System.Text;

namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>
/// A single pass over the header section (RFC 5322 2.2): fields are "name:" lines and their folded
/// continuations; the section ends at the first empty line, or at the first line that is neither
/// (the body of a message without headers). Enough to count Received: fields and find Message-ID.
/// </summary>
internal static class HeaderScanner
{
    private const int MaxMessageIdLength = 998;

    public static HeaderSummary Scan(ReadOnlySpan<byte> content, int maxHeaderBytes)
    {
        var position = 0;
        var received = 0;
        string? messageId = null;
        var inMessageId = false;
        var messageIdValue = new StringBuilder();

        while (position < content.Length)
        {
            var rest = content[position..];
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            var lineLength = end < 0 ? rest.Length : end + 2;

            if (line.IsEmpty)
            {
                break;
            }

            bool continuation = line[0] is (byte)' ' or (byte)'\t';
            if (!continuation && !IsFieldStart(line, out _))
            {
                break;
            }

            if (position + line.Length > maxHeaderBytes)
            {
                return new HeaderSummary(position + line.Length, received, messageId, TooLarge: true);
            }

            if (continuation)
            {
                if (inMessageId && messageIdValue.Length < MaxMessageIdLength)
                {
                    messageIdValue.Append(Encoding.UTF8.GetString(line));
                }
            }
            else
            {
                if (inMessageId)
                {
                    messageId ??= ExtractMessageId(messageIdValue.ToString());
                    inMessageId = false;
                }

                IsFieldStart(line, out var nameLength);
                var name = line[..nameLength];
                if (name.Length == 8 && Ascii.EqualsIgnoreCase(name, "Received"u8))
                {
                    received++;
                }
                else if (messageId is null && name.Length == 10 && Ascii.EqualsIgnoreCase(name, "Message-ID"u8))
                {
                    inMessageId = true;
                    messageIdValue.Clear();
                    var value = line[(nameLength + 1)..];
                    messageIdValue.Append(Encoding.UTF8.GetString(value[..Math.Min(value.Length, MaxMessageIdLength)]));
                }
            }

            position += lineLength;
        }

        if (inMessageId)
        {
            messageId ??= ExtractMessageId(messageIdValue.ToString());
        }

        return new HeaderSummary(Math.Min(position, content.Length), received, messageId, TooLarge: false);
    }

    /// <summary>field-name ":" with field-name = 1*ftext (printable ASCII except ":"), RFC 5322 3.6.8.</summary>
    private static bool IsFieldStart(ReadOnlySpan<byte> line, out int nameLength)
    {
        nameLength = 0;
        while (nameLength < line.Length && line[nameLength] is >= 33 and <= 126 and not (byte)':')
        {
            nameLength++;
        }

        return nameLength > 0 && nameLength < line.Length && line[nameLength] == (byte)':';
    }

    /// <summary>The msg-id in angle brackets when there is one, else the trimmed printable value.</summary>
    private static string ExtractMessageId(string value)
    {
        var open = value.IndexOf('<');
        var close = open < 0 ? -1 : value.IndexOf('>', open);
        var id = open >= 0 && close > open ? value[open..(close + 1)] : value.Trim();
        var clean = new StringBuilder(id.Length);
        foreach (var c in id)
        {
            if (c is > ' ' and <= '~')
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }
}
