using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace Gateway.Bench.Remediation;

/// <summary>Settings of the test Dovecot, and an independent IMAP look into a mailbox to check the result.</summary>
public sealed record BenchImap(
    string ImapHost, int ImapPort, string LmtpHost, int LmtpPort, string Master, string Password)
{
    public static BenchImap From(BenchArguments args)
    {
        static (string, int) Split(string value)
        {
            var colon = value.LastIndexOf(':');
            return (value[..colon], int.Parse(value[(colon + 1)..], CultureInfo.InvariantCulture));
        }

        var (imapHost, imapPort) = Split(args.Text("imap"));
        var (lmtpHost, lmtpPort) = Split(args.Text("lmtp"));
        return new BenchImap(imapHost, imapPort, lmtpHost, lmtpPort, args.Text("master"), args.Text("password"));
    }

    public Dictionary<string, string?> Settings(string redis, int concurrency) => new()
    {
        ["Gateway:Redis:Configuration"] = redis,
        ["Gateway:Redis:KeyPrefix"] = $"bench:{Guid.NewGuid():N}:",
        ["Gateway:Remediation:Imap:Host"] = ImapHost,
        ["Gateway:Remediation:Imap:Port"] = ImapPort.ToString(CultureInfo.InvariantCulture),
        ["Gateway:Remediation:Imap:MasterUser"] = Master,
        ["Gateway:Remediation:Imap:MasterPassword"] = Password,
        ["Gateway:Remediation:Imap:MaxConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
        ["Gateway:Remediation:Imap:MaxIdleSessions"] = "256",
        ["Gateway:Remediation:Audit:MaxEntries"] = "100000",
        ["Gateway:Remediation:MaxCopiesPerEvent"] = "100000",
    };

    /// <summary>How many messages whose Message-ID contains <paramref name="marker"/> are in the folder.</summary>
    public async Task<int> CountAsync(string mailbox, string folder, string marker)
    {
        using var client = new ImapClient { Timeout = 30_000 };
        await client.ConnectAsync(ImapHost, ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(new SaslMechanismPlain(Master, Password) { AuthorizationId = mailbox });
        var target = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        await target.OpenAsync(FolderAccess.ReadOnly);
        var uids = await target.SearchAsync(SearchQuery.HeaderContains("Message-ID", marker));
        await client.DisconnectAsync(true);
        return uids.Count;
    }
}
