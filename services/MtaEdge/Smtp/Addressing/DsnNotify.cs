namespace Gateway.MtaEdge.Smtp.Addressing;

/// <summary>The NOTIFY parameter of RCPT (RFC 3461 section 4.1), in canonical form.</summary>
internal static class DsnNotify
{
    public const string Never = "NEVER";

    /// <summary>
    /// "NEVER", or the keywords SUCCESS, FAILURE, DELAY given, each once, in that order and comma
    /// separated. False for anything else (an unknown keyword, a repeat, NEVER combined with another).
    /// </summary>
    public static bool TryParse(string value, out string canonical)
    {
        canonical = "";
        var words = value.ToUpperInvariant().Split(',');
        if (words.Length == 1 && words[0] == Never)
        {
            canonical = Never;
            return true;
        }

        var success = false;
        var failure = false;
        var delay = false;
        foreach (var word in words)
        {
            ref var flag = ref success;
            switch (word)
            {
                case "SUCCESS":
                    flag = ref success;
                    break;
                case "FAILURE":
                    flag = ref failure;
                    break;
                case "DELAY":
                    flag = ref delay;
                    break;
                default:
                    return false;
            }

            if (flag)
            {
                return false;
            }

            flag = true;
        }

        canonical = string.Join(',', new[] { (success, "SUCCESS"), (failure, "FAILURE"), (delay, "DELAY") }
            .Where(p => p.Item1).Select(p => p.Item2));
        return true;
    }

    /// <summary>
    /// Whether a report of this kind ("SUCCESS", "FAILURE", "DELAY") is wanted. Without NOTIFY, RFC 3461
    /// section 4.1 says the default is FAILURE (and DELAY at the server's discretion; the edge sends none).
    /// </summary>
    public static bool Wants(string? notify, string kind) =>
        string.IsNullOrEmpty(notify)
            ? kind == "FAILURE"
            : notify.Split(',').Contains(kind, StringComparer.Ordinal);
}
