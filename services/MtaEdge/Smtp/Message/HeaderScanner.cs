using System.Text;

namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>
/// A single pass over the header section (RFC 5322 2.2): fields are "name:" lines and their folded
/// continuations; the section ends at the first empty line, or at the first line that is neither
/// (the body of a message without headers). Enough to count Received: fields and find Message-ID and From, so
/// the intake never parses the header section twice.
/// </summary>
internal static class HeaderScanner
{
    private const int MaxMessageIdLength = 998;

    // A From: field lists its authors (RFC 5322 3.6.2); the first mailbox is well inside this much.
    private const int MaxFromLength = 4096;

    public static HeaderSummary Scan(ReadOnlySpan<byte> content, int maxHeaderBytes)
    {
        var position = 0;
        var received = 0;
        string? messageId = null;
        string? from = null;
        var inMessageId = false;
        var inFrom = false;
        var messageIdValue = new StringBuilder();
        var fromValue = new StringBuilder();

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
                return new HeaderSummary(position + line.Length, received, messageId, from, TooLarge: true);
            }

            if (continuation)
            {
                if (inMessageId && messageIdValue.Length < MaxMessageIdLength)
                {
                    messageIdValue.Append(Encoding.UTF8.GetString(line));
                }
                else if (inFrom && fromValue.Length < MaxFromLength)
                {
                    fromValue.Append(Encoding.UTF8.GetString(line));
                }
            }
            else
            {
                if (inMessageId)
                {
                    messageId ??= ExtractMessageId(messageIdValue.ToString());
                    inMessageId = false;
                }

                if (inFrom)
                {
                    from ??= fromValue.ToString();
                    inFrom = false;
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
                else if (from is null && name.Length == 4 && Ascii.EqualsIgnoreCase(name, "From"u8))
                {
                    inFrom = true;
                    fromValue.Clear();
                    var value = line[(nameLength + 1)..];
                    fromValue.Append(Encoding.UTF8.GetString(value[..Math.Min(value.Length, MaxFromLength)]));
                }
            }

            position += lineLength;
        }

        if (inMessageId)
        {
            messageId ??= ExtractMessageId(messageIdValue.ToString());
        }

        if (inFrom)
        {
            from ??= fromValue.ToString();
        }

        return new HeaderSummary(Math.Min(position, content.Length), received, messageId, from, TooLarge: false);
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
