using Gateway.Common.Configuration;
using Gateway.MtaEdge.Smtp.Protocol;

namespace Gateway.MtaEdge.Smtp.Addressing;

/// <summary>
/// Relay control: the edge accepts mail only for mailboxes in its own domains, never for anything
/// that another hop could route elsewhere. Every trick either names a local mailbox or is refused:
/// the percent hack (user%other@local), bang paths (other!user@local), an "@" inside a quoted
/// local part, and address literals are refused; source routes were already dropped by the parser
/// (RFC 5321 appendix C), so only the final mailbox counts; case and a trailing dot in the domain
/// are normalised. Local parts that could climb out of a mailbox directory are refused as well.
/// </summary>
internal sealed class RecipientPolicy
{
    private static readonly SmtpReply MailboxNameNotAllowed = new(553, "5.1.3", "Mailbox name not allowed");

    // Look-alikes of @ % ! that a later hop could fold into the ASCII character (NFKC).
    private const string RoutingCharacters = "@%!\uFF20\uFE6B\uFF05\uFE6A\uFF01\uFE57";

    private readonly DomainSet _domains;
    private readonly string _primaryDomain;

    public RecipientPolicy(DomainSet domains, IEnumerable<string> configuredDomains)
    {
        _domains = domains;
        _primaryDomain = configuredDomains.Select(DomainSet.Normalize).FirstOrDefault(d => d.Length > 0)
            ?? domains.Domains.FirstOrDefault() ?? "";
    }

    public RecipientDecision Decide(SmtpPath path)
    {
        if (path.IsBarePostmaster)
        {
            // RFC 5321 4.5.1: <Postmaster> without a domain must be accepted; it is ours.
            return _primaryDomain.Length == 0
                ? new RecipientDecision(null, SmtpReplies.RelayDenied)
                : new RecipientDecision("postmaster@" + _primaryDomain, null);
        }

        if (path.IsAddressLiteral || !_domains.IsLocal(path.Domain))
        {
            return new RecipientDecision(null, SmtpReplies.RelayDenied);
        }

        if (path.LocalContent.AsSpan().IndexOfAny(RoutingCharacters) >= 0)
        {
            return new RecipientDecision(null, SmtpReplies.RelayDenied);
        }

        // Mailbox stores map local parts to folders: nothing that reads as a path or a parent directory.
        var content = path.LocalContent;
        if (content.StartsWith('.') || content.EndsWith('.') || content.Contains("..", StringComparison.Ordinal)
            || content.AsSpan().IndexOfAny('/', '\\') >= 0 || content.Any(char.IsControl))
        {
            return new RecipientDecision(null, MailboxNameNotAllowed);
        }

        return new RecipientDecision(path.Address, null);
    }
}
