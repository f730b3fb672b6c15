using Gateway.Common.Mail;
using Gateway.V1;

namespace Gateway.RetroRemediation.Stores.Maildir;

/// <summary>
/// Where a Maildir copy lives, worked out from its record and checked before anything is touched:
/// the location must be a normalized absolute path of the form
/// <c>&lt;root&gt;/&lt;domain&gt;/&lt;mailbox&gt;/{new|cur}/&lt;name&gt;</c> whose domain and mailbox are
/// the ones of the record's recipient, under the configured root when there is one.
/// </summary>
public sealed record MaildirCopyPath(string Root, string DomainDir, string Maildir, string BaseName)
{
    private const int MaxPathLength = 4096;

    public static bool TryResolve(
        DeliveryRecord record, string allowedRoot, out MaildirCopyPath path, out string reason)
    {
        path = null!;
        var location = record.Location;
        if (string.IsNullOrEmpty(location) || location.Length > MaxPathLength || location.Contains('\0'))
        {
            reason = "the record has no usable location";
            return false;
        }

        // A path that changes when normalized has "..", "." or doubled separators: someone built it by hand.
        if (!Path.IsPathFullyQualified(location) || Path.GetFullPath(location) != location)
        {
            reason = "the location is not a normalized absolute path";
            return false;
        }

        if (!EnvelopeAddress.TryParse(record.Recipient, out var recipient)
            || !IsSafeSegment(recipient.Domain) || !IsSafeSegment(recipient.MailboxName))
        {
            reason = "the recipient does not name a mailbox directory";
            return false;
        }

        var fileName = Path.GetFileName(location);
        var subDir = Path.GetDirectoryName(location);
        var maildir = Path.GetDirectoryName(subDir);
        var domainDir = Path.GetDirectoryName(maildir);
        var root = Path.GetDirectoryName(domainDir);
        if (subDir is null || maildir is null || domainDir is null || root is null
            || Path.GetFileName(subDir) is not ("new" or "cur"))
        {
            reason = "the location is not a file in a Maildir's new/ or cur/";
            return false;
        }

        if (Path.GetFileName(maildir) != recipient.MailboxName || Path.GetFileName(domainDir) != recipient.Domain)
        {
            reason = "the location is not in the recipient's <domain>/<mailbox> Maildir";
            return false;
        }

        if (allowedRoot.Length > 0
            && Path.TrimEndingDirectorySeparator(Path.GetFullPath(allowedRoot))
                != Path.TrimEndingDirectorySeparator(root))
        {
            reason = "the location is outside the configured Maildir root";
            return false;
        }

        // The unique part of a Maildir name ends where the info (":2,flags") starts.
        var colon = fileName.IndexOf(':');
        var baseName = colon >= 0 ? fileName[..colon] : fileName;
        if (!IsSafeSegment(baseName) || baseName.IndexOfAny(['*', '?', '\\']) >= 0)
        {
            reason = "the file name is not a Maildir name";
            return false;
        }

        path = new MaildirCopyPath(root, domainDir, maildir, baseName);
        reason = "";
        return true;
    }

    /// <summary>True when the file name is this copy: its base name, with or without info or extra fields.</summary>
    public bool Matches(string fileName) =>
        fileName.StartsWith(BaseName, StringComparison.Ordinal)
        && (fileName.Length == BaseName.Length || fileName[BaseName.Length] is ':' or ',');

    private static bool IsSafeSegment(string segment) =>
        segment.Length is > 0 and <= 255 && segment[0] != '.' && segment.IndexOfAny(['/', '\0']) < 0;
}
