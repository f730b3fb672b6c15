namespace Gateway.Cluster.Tests.Support;

/// <summary>One SMTP reply: the basic code and the RFC 3463 enhanced code of its last line.</summary>
public sealed record SmtpReply(int Code, string Text)
{
    public string Enhanced
    {
        get
        {
            var last = Text.Split('\n')[^1];
            var first = last.Length > 4 ? last[4..].Split(' ', 2)[0] : "";
            return first.Count(c => c == '.') == 2 ? first : "";
        }
    }

    public override string ToString() => Text;
}
