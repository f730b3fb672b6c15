namespace Gateway.Standalone.Tests;

/// <summary>One (possibly multi-line) SMTP reply.</summary>
public sealed record SmtpReply(int Code, string Text)
{
    /// <summary>The RFC 3463 enhanced status code of the last line, or "" when absent.</summary>
    public string Enhanced
    {
        get
        {
            var last = Text.Split('\n')[^1];
            var parts = last.Length > 4 ? last[4..].Split(' ', 2) : [];
            return parts.Length > 0 && parts[0].Count(c => c == '.') == 2 ? parts[0] : "";
        }
    }

    public override string ToString() => Text;
}
