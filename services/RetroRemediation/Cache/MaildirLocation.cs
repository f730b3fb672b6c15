using Gateway.Common.Mail;

namespace Gateway.RetroRemediation.Cache;

/// <summary>A Maildir location split so that only its root and file name need storing.</summary>
internal readonly record struct MaildirLocation(string Root, bool InCur, string FileName)
{
    /// <summary>
    /// Splits <c>&lt;root&gt;/&lt;domain&gt;/&lt;mailbox&gt;/{new|cur}/&lt;file&gt;</c> when domain and mailbox are the
    /// ones the recipient gives; otherwise the location is stored verbatim.
    /// </summary>
    public static MaildirLocation? TrySplit(string location, EnvelopeAddress recipient)
    {
        if (location.Length == 0 || location[0] != '/')
        {
            return null;
        }

        var file = Path.GetFileName(location);
        var sub = Path.GetDirectoryName(location);
        var maildir = Path.GetDirectoryName(sub);
        var domainDir = Path.GetDirectoryName(maildir);
        var root = Path.GetDirectoryName(domainDir);
        if (string.IsNullOrEmpty(file) || sub is null || maildir is null || domainDir is null || root is null
            || Path.GetFileName(sub) is not ("new" or "cur")
            || Path.GetFileName(maildir) != recipient.MailboxName || Path.GetFileName(domainDir) != recipient.Domain)
        {
            return null;
        }

        var split = new MaildirLocation(root, Path.GetFileName(sub) == "cur", file);
        return split.Join(recipient) == location ? split : null;
    }

    public string Join(EnvelopeAddress recipient) =>
        Path.Combine(Root, recipient.Domain, recipient.MailboxName, InCur ? "cur" : "new", FileName);
}
