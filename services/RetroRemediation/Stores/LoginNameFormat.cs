using System.Text;
using Gateway.Common.Mail;

namespace Gateway.RetroRemediation.Stores;

/// <summary>
/// Builds a store login name for a mailbox from a format such as <c>{address}</c> or <c>{local}%admin</c>.
/// </summary>
public static class LoginNameFormat
{
    private static readonly string[] Tokens = ["{address}", "{local}", "{domain}"];

    public static string Format(string format, EnvelopeAddress mailbox) =>
        format.Replace("{address}", mailbox.MailboxAddress, StringComparison.Ordinal)
            .Replace("{local}", mailbox.MailboxName, StringComparison.Ordinal)
            .Replace("{domain}", mailbox.Domain, StringComparison.Ordinal);

    /// <summary>True when the format names a mailbox: at least one known token, no unknown ones.</summary>
    public static bool TryValidate(string? format, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(format) || format.Length > 256)
        {
            error = "must be 1-256 characters, e.g. {address}.";
            return false;
        }

        if (format.Any(char.IsControl) || format.Contains(' '))
        {
            error = "must not contain spaces or control characters.";
            return false;
        }

        if (!Tokens.Any(t => format.Contains(t, StringComparison.Ordinal)))
        {
            error = "must contain {address}, {local} or {domain}; otherwise every mailbox gets the same login.";
            return false;
        }

        var rest = new StringBuilder(format);
        foreach (var token in Tokens)
        {
            rest.Replace(token, "");
        }

        if (rest.ToString().IndexOfAny(['{', '}']) >= 0)
        {
            error = $"has an unknown token; the known ones are {string.Join(", ", Tokens)}.";
            return false;
        }

        return true;
    }
}
