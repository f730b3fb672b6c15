using Gateway.Testing;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace Gateway.RetroRemediation.Tests.Support;

/// <summary>
/// Looks into, and plays the user of, a test Dovecot mailbox. Logs in with the other master-login
/// form ("user*master" with LOGIN), so both forms are exercised.
/// </summary>
public static class ImapProbe
{
    public static async Task<int> CountAsync(string mailbox, string folder, string messageId)
    {
        using var client = await ConnectAsync(mailbox);
        var target = await OpenAsync(client, folder, FolderAccess.ReadOnly);
        var uids = await target.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId));
        await client.DisconnectAsync(true);
        return uids.Count;
    }

    /// <summary>What a user's mail client does when they drag a message from one folder to another.</summary>
    public static async Task MoveAsync(string mailbox, string from, string to, string messageId)
    {
        using var client = await ConnectAsync(mailbox);
        var source = await OpenAsync(client, from, FolderAccess.ReadWrite);
        var uids = await source.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId));
        var target = from == to ? source : await client.GetFolderAsync(to);
        await source.MoveToAsync(uids, target);
        await client.DisconnectAsync(true);
    }

    /// <summary>The flags and keywords of the message in INBOX, sorted, without \Recent and \Seen.</summary>
    public static async Task<IReadOnlyList<string>> FlagsAsync(string mailbox, string messageId)
    {
        using var client = await ConnectAsync(mailbox);
        var inbox = await OpenAsync(client, "INBOX", FolderAccess.ReadOnly);
        var uids = await inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId));
        var summary = (await inbox.FetchAsync(uids, MessageSummaryItems.Flags)).Single();
        await client.DisconnectAsync(true);
        var flags = (summary.Flags ?? MessageFlags.None) & ~(MessageFlags.Recent | MessageFlags.Seen);
        var names = Enum.GetValues<MessageFlags>()
            .Where(f => f is not MessageFlags.None and not MessageFlags.UserDefined && flags.HasFlag(f))
            .Select(f => "\\" + f)
            .Concat(summary.Keywords ?? new HashSet<string>());
        return names.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>What a mail client does when the user opens the message.</summary>
    public static async Task MarkSeenAsync(string mailbox, string messageId)
    {
        using var client = await ConnectAsync(mailbox);
        var inbox = await OpenAsync(client, "INBOX", FolderAccess.ReadWrite);
        var uids = await inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId));
        await inbox.StoreAsync(uids, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true });
        await client.DisconnectAsync(true);
    }

    private static async Task<ImapClient> ConnectAsync(string mailbox)
    {
        var (host, port) = TestEnvironment.HostPort(TestEnvironment.ImapVariable);
        var master = TestEnvironment.Require(TestEnvironment.MasterUserVariable);
        var password = TestEnvironment.Require(TestEnvironment.MasterPasswordVariable);
        var client = new ImapClient { Timeout = 20_000 };
        await client.ConnectAsync(host, port, SecureSocketOptions.None);
        await client.AuthenticateAsync(new SaslMechanismLogin($"{mailbox}*{master}", password));
        return client;
    }

    private static async Task<IMailFolder> OpenAsync(ImapClient client, string folder, FolderAccess access)
    {
        var target = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        await target.OpenAsync(access);
        return target;
    }
}
