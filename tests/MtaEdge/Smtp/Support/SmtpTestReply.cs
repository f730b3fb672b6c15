namespace Gateway.MtaEdge.Tests.Smtp.Support;

/// <summary>One whole reply as the test client read it.</summary>
public sealed record SmtpTestReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>The enhanced status code at the start of the last line's text, or "".</summary>
    public string EnhancedCode
    {
        get
        {
            var text = Lines[^1];
            var space = text.IndexOf(' ');
            var first = space < 0 ? text : text[..space];
            return first.Split('.').Length == 3 && first.Split('.').All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
                ? first
                : "";
        }
    }

    /// <summary>"250 2.0.0": what most assertions compare.</summary>
    public string Status => EnhancedCode.Length > 0
        ? $"{Code} {EnhancedCode}"
        : Code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string Text => string.Join("\n", Lines);

    public override string ToString() => string.Join(" | ", Lines.Select(l => $"{Code} {l}"));
}
