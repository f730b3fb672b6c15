namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// A Message-ID of the usual form <c>&lt;left@right&gt;</c> (RFC 5322 section 3.6.4) split in two: the
/// right-hand side, usually the sending host or domain, repeats across many messages and is interned.
/// </summary>
internal static class MessageIdParts
{
    private const int MaxRightLength = 255;

    public static (string Left, string Right)? Split(string messageId)
    {
        if (messageId.Length < 5 || messageId[0] != '<' || messageId[^1] != '>')
        {
            return null;
        }

        var at = messageId.LastIndexOf('@');
        if (at <= 1 || at >= messageId.Length - 2 || messageId.Length - at - 2 > MaxRightLength)
        {
            return null;
        }

        return (messageId[1..at], messageId[(at + 1)..^1]);
    }

    public static string Join(string left, string right) => $"<{left}@{right}>";
}
