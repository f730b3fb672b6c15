using System.Text;
using Gateway.V1;

namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>
/// Replaces the X-Spam-* header fields of a message with the fingerprint filter's. Fields the sender
/// wrote are removed first (with their folded continuation lines, RFC 5322 2.2.3), or a spammer could
/// vouch for itself with "X-Spam-Flag: NO"; the filter's fields then go on top.
/// </summary>
internal static class SpamHeaderRewriter
{
    private static readonly byte[] Prefix = "X-Spam-"u8.ToArray();

    /// <param name="content">The message, CRLF line ends.</param>
    /// <param name="headers">The filter's fields, in order; names and values are cleaned of line breaks.</param>
    public static byte[] Rewrite(ReadOnlySpan<byte> content, IEnumerable<HeaderField> headers)
    {
        using var output = new MemoryStream(content.Length + 256);
        foreach (var field in headers)
        {
            var name = Clean(field.Name);
            if (name.Length == 0 || name.Any(c => c is ':' or ' ' or '\t' || c < 33 || c > 126))
            {
                continue;
            }

            output.Write(Encoding.UTF8.GetBytes(name + ": " + Clean(field.Value) + "\r\n"));
        }

        var position = 0;
        var dropping = false;
        while (position < content.Length)
        {
            var rest = content[position..];
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..(end + 1)];
            var isBlank = line.Length <= 2 && line.TrimEnd("\r\n"u8).Length == 0;
            if (isBlank)
            {
                // The end of the header section: the body is copied as it is.
                output.Write(rest);
                return output.ToArray();
            }

            var continuation = line[0] is (byte)' ' or (byte)'\t';
            if (!continuation)
            {
                dropping = line.Length >= Prefix.Length && Ascii.EqualsIgnoreCase(line[..Prefix.Length], Prefix);
            }

            if (!dropping)
            {
                output.Write(line);
            }

            position += line.Length;
        }

        return output.ToArray();
    }

    private static string Clean(string text) =>
        new(text.Where(c => c != '\r' && c != '\n' && c != '\0').ToArray());
}
