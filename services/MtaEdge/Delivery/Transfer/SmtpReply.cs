using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.MtaEdge.Delivery.Transfer;

/// <summary>
/// One complete server reply (RFC 5321 section 4.2): a three-digit code, the RFC 3463 enhanced
/// status code when the server sends one (RFC 2034), and the text of every line.
/// </summary>
public sealed partial record SmtpReply(int Code, string EnhancedCode, IReadOnlyList<string> Lines)
{
    private const int MaxSummaryLength = 400;

    public bool IsPositive => Code is >= 200 and < 300;

    public bool IsIntermediate => Code is >= 300 and < 400;

    public bool IsTransient => Code is >= 400 and < 500;

    public bool IsPermanent => Code >= 500;

    /// <summary>"250 2.1.5 Ok" style, all lines joined, control characters removed, bounded in length.</summary>
    public override string ToString()
    {
        var text = new StringBuilder().Append(Code);
        foreach (var line in Lines)
        {
            text.Append(' ');
            foreach (var c in line)
            {
                text.Append(char.IsControl(c) ? '?' : c);
            }
        }

        return text.Length <= MaxSummaryLength ? text.ToString() : text.ToString(0, MaxSummaryLength) + "...";
    }

    /// <summary>
    /// Builds a reply from its raw lines ("250-first", "250 last"). Every line must carry the same
    /// code; anything else is a protocol violation.
    /// </summary>
    /// <exception cref="TransferProtocolException">The lines are not a well-formed reply.</exception>
    public static SmtpReply Parse(IReadOnlyList<string> rawLines)
    {
        if (rawLines.Count == 0)
        {
            throw new TransferProtocolException("empty reply");
        }

        var code = -1;
        var texts = new List<string>(rawLines.Count);
        for (var i = 0; i < rawLines.Count; i++)
        {
            var line = rawLines[i];
            var lineCode = ParseCode(line);
            if (code >= 0 && lineCode != code)
            {
                throw new TransferProtocolException($"reply mixes codes {code} and {lineCode}");
            }

            code = lineCode;
            var last = i == rawLines.Count - 1;
            if (!last && !IsContinuation(line))
            {
                throw new TransferProtocolException("reply continues after its last line");
            }

            if (last && IsContinuation(line))
            {
                throw new TransferProtocolException("reply ends on a continuation line");
            }

            texts.Add(line.Length > 4 ? line[4..] : "");
        }

        var enhanced = EnhancedCodePattern().Match(texts[0]);
        var enhancedCode = enhanced.Success && enhanced.Value[0] - '0' == code / 100 ? enhanced.Value : "";
        return new SmtpReply(code, enhancedCode, texts);
    }

    /// <summary>True when the raw line says more lines of the same reply follow ("250-...").</summary>
    public static bool IsContinuation(string rawLine) => rawLine.Length > 3 && rawLine[3] == '-';

    /// <summary>The code of a raw reply line: 2-5, 0-5, 0-9, then '-', ' ' or the end of the line.</summary>
    public static int ParseCode(string rawLine)
    {
        if (rawLine.Length < 3
            || rawLine[0] is < '2' or > '5'
            || rawLine[1] is < '0' or > '5'
            || !char.IsAsciiDigit(rawLine[2])
            || (rawLine.Length > 3 && rawLine[3] is not (' ' or '-')))
        {
            throw new TransferProtocolException("malformed reply line: " + Printable(rawLine));
        }

        return (rawLine[0] - '0') * 100 + (rawLine[1] - '0') * 10 + (rawLine[2] - '0');
    }

    private static string Printable(string text)
    {
        var cut = text.Length > 80 ? text[..80] : text;
        return new string(cut.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }

    // RFC 3463 section 2: class "." subject "." detail, subject and detail 1-3 digits.
    [GeneratedRegex(@"^[245]\.[0-9]{1,3}\.[0-9]{1,3}(?=\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedCodePattern();
}
