using System.Text;

namespace Gateway.MtaEdge.Smtp;

/// <summary>Client text made safe for a log line: control and non-ASCII characters escaped, length capped.</summary>
internal static class LogText
{
    private const int MaxLength = 100;

    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxLength) + 8);
        foreach (var c in value)
        {
            if (builder.Length >= MaxLength)
            {
                builder.Append("...");
                break;
            }

            if (c is >= ' ' and <= '~' && c != '\\')
            {
                builder.Append(c);
            }
            else if (c == '\\')
            {
                builder.Append(@"\\");
            }
            else
            {
                builder.Append(c <= '\xff' ? $"\\x{(int)c:x2}" : $"\\u{(int)c:x4}");
            }
        }

        return builder.ToString();
    }
}
