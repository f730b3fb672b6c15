namespace Gateway.Common.Mail;

/// <summary>
/// A recipient split into local part and domain, as the edge accepted it (RFC 5321 mailbox).
/// The domain is lowercased; the local part is kept as sent.
/// </summary>
public readonly record struct EnvelopeAddress(string LocalPart, string Domain)
{
    public override string ToString() => $"{LocalPart}@{Domain}";

    /// <summary>Splits at the last '@'; false when there is none or either side is empty.</summary>
    public static bool TryParse(string address, out EnvelopeAddress parsed)
    {
        parsed = default;
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return false;
        }

        var domain = address[(at + 1)..].ToLowerInvariant().TrimEnd('.');
        if (domain.Length == 0)
        {
            return false;
        }

        parsed = new EnvelopeAddress(address[..at], domain);
        return true;
    }

    /// <summary>
    /// The mailbox name the store uses: local part lowercased with any "+detail" removed
    /// (RFC 5233 subaddress), so ann+a and ann+b land in one mailbox.
    /// </summary>
    public string MailboxName
    {
        get
        {
            var local = LocalPart.ToLowerInvariant();
            if (local.Length > 1 && local[0] == '"' && local[^1] == '"')
            {
                local = local[1..^1];
            }

            var plus = local.IndexOf('+');
            return plus > 0 ? local[..plus] : local;
        }
    }

    /// <summary>The address of the mailbox (subaddress removed, lowercased), e.g. ann@example.test.</summary>
    public string MailboxAddress => $"{MailboxName}@{Domain}";
}
