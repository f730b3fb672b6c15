using System.Text;

namespace Gateway.MtaEdge.Smtp.Protocol;

/// <summary>
/// One SMTP reply: a basic code, an RFC 3463 enhanced status code (empty where RFC 2034 section 3
/// leaves it out: the greeting, EHLO/HELO and 354) and one or more lines of text.
/// </summary>
public sealed record SmtpReply(int Code, string EnhancedCode, IReadOnlyList<string> Lines)
{
    public SmtpReply(int code, string enhancedCode, string text)
        : this(code, enhancedCode, new[] { text })
    {
    }

    public bool IsPositive => Code is >= 200 and < 400;

    public bool IsTransient => Code is >= 400 and < 500;

    public bool IsPermanent => Code >= 500;

    /// <summary>The reply as sent: every line but the last uses "code-", each ends with CRLF.</summary>
    public void WriteTo(StringBuilder builder)
    {
        for (var i = 0; i < Lines.Count; i++)
        {
            builder.Append(Code).Append(i == Lines.Count - 1 ? ' ' : '-');
            if (EnhancedCode.Length > 0)
            {
                builder.Append(EnhancedCode).Append(' ');
            }

            builder.Append(Lines[i]).Append("\r\n");
        }
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        WriteTo(builder);
        return builder.ToString();
    }

    /// <summary>
    /// A reply built from another tier's verdict. Its code must be of the expected class, otherwise
    /// <paramref name="fallback"/> is used; its text is reduced to printable ASCII so it can never
    /// break the reply framing.
    /// </summary>
    public static SmtpReply FromVerdict(int code, string? enhancedCode, string? text, SmtpReply fallback)
    {
        if (code / 100 != fallback.Code / 100)
        {
            return fallback;
        }

        var enhanced = IsEnhancedCode(enhancedCode, code) ? enhancedCode! : fallback.EnhancedCode;
        var clean = SanitizeText(text);
        return new SmtpReply(code, enhanced, clean.Length == 0 ? fallback.Lines[0] : clean);
    }

    /// <summary>Printable ASCII only, at most 200 characters.</summary>
    public static string SanitizeText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(Math.Min(text.Length, 200));
        foreach (var c in text)
        {
            if (builder.Length == 200)
            {
                break;
            }

            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString().Trim();
    }

    /// <summary>True for "class.subject.detail" whose class matches the basic code (RFC 3463 section 2).</summary>
    public static bool IsEnhancedCode(string? value, int code)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var parts = value.Split('.');
        return parts.Length == 3
            && parts[0] == (code / 100).ToString(System.Globalization.CultureInfo.InvariantCulture)
            && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit));
    }
}
