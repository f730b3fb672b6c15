namespace Gateway.SenderIntelligence.Subjects;

/// <summary>Domain names as keys: lowercase ASCII (A-labels for IDNs), no trailing dot, RFC 1035 lengths.</summary>
public static class DomainNames
{
    private static readonly System.Globalization.IdnMapping Idn = new();

    public static bool TryNormalize(string? text, out string domain)
    {
        domain = "";
        text = text?.Trim().TrimEnd('.');
        if (string.IsNullOrEmpty(text) || text.Length > 253)
        {
            return false;
        }

        if (text.All(char.IsAscii))
        {
            // The common case, checked on every MAIL: no IDN conversion needed.
            text = text.ToLowerInvariant();
        }
        else
        {
            try
            {
                // Internationalised names become their A-label form, so one domain has one key.
                text = Idn.GetAscii(text).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        var labels = text.Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length is 0 or > 63 || l[0] == '-' || l[^1] == '-'
            || !l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return false;
        }

        domain = text;
        return true;
    }

    /// <summary>The domain of an envelope address ("user@example.com"), normalised; null when there is none.</summary>
    public static string? OfAddress(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        var at = address.LastIndexOf('@');
        return at > 0 && TryNormalize(address[(at + 1)..], out var domain) ? domain : null;
    }
}
