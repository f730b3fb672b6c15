namespace Gateway.MtaEdge.Smtp.Addressing;

/// <summary>
/// Splits the parameters after a path: esmtp-param *(SP esmtp-param), esmtp-keyword ["=" esmtp-value]
/// (RFC 5321 4.1.2). Quotes have no meaning in this grammar and no parameter the edge knows uses
/// them, so a value containing a DQUOTE (terminated or not) is refused as malformed rather than
/// interpreted one way or another.
/// </summary>
internal static class MailParameterParser
{
    private const int MaxParameters = 16;

    public static bool TryParse(string text, out List<MailParameter> parameters, out string error)
    {
        parameters = new List<MailParameter>();
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length > MaxParameters)
        {
            error = "too many parameters";
            return false;
        }

        foreach (var token in tokens)
        {
            var equals = token.IndexOf('=');
            var keyword = equals < 0 ? token : token[..equals];
            var value = equals < 0 ? null : token[(equals + 1)..];

            if (!IsKeyword(keyword))
            {
                error = "malformed parameter keyword";
                return false;
            }

            if (value is not null && !IsValue(value))
            {
                error = value.Contains('"')
                    ? "quotes are not allowed in parameter values"
                    : "malformed parameter value";
                return false;
            }

            if (parameters.Any(p => p.Keyword.Equals(keyword, StringComparison.OrdinalIgnoreCase)))
            {
                error = "duplicate parameter " + keyword.ToUpperInvariant();
                return false;
            }

            parameters.Add(new MailParameter(keyword.ToUpperInvariant(), value));
        }

        error = "";
        return true;
    }

    // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
    private static bool IsKeyword(string keyword) =>
        keyword.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(keyword[0])
        && keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    // esmtp-value = 1*(%d33-60 / %d62-126), UTF-8 allowed by RFC 6531 3.3; DQUOTE refused (see above).
    private static bool IsValue(string value) =>
        value.Length > 0 && value.All(c => c is (>= '!' and <= '<') or (>= '>' and <= '~') or > '\x9f' && c != '"');
}
