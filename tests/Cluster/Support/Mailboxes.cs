using System.Net;
using System.Text;
using Gateway.Testing;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace Gateway.Cluster.Tests.Support;

/// <summary>What Dovecot holds: counts over IMAP (as the master user), and a scan of its Maildir tree.</summary>
public static class Mailboxes
{
    /// <summary>Messages in the user's INBOX and Junk, over IMAP.</summary>
    public static async Task<(int Inbox, int Junk)> CountAsync(string user)
    {
        var (host, port) = TestEnvironment.HostPort(TestEnvironment.ImapVariable);
        using var imap = new ImapClient();
        await imap.ConnectAsync(host, port, SecureSocketOptions.None);
        var credentials = new NetworkCredential(
            TestEnvironment.Require(TestEnvironment.MasterUserVariable),
            TestEnvironment.Require(TestEnvironment.MasterPasswordVariable));
        await imap.AuthenticateAsync(new SaslMechanismPlain(credentials) { AuthorizationId = user });
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var inbox = (await imap.Inbox.SearchAsync(SearchQuery.All)).Count;
        var junk = 0;
        try
        {
            var folder = await imap.GetFolderAsync("Junk");
            await folder.OpenAsync(FolderAccess.ReadOnly);
            junk = (await folder.SearchAsync(SearchQuery.All)).Count;
        }
        catch (FolderNotFoundException)
        {
        }

        await imap.DisconnectAsync(true);
        return (inbox, junk);
    }

    /// <summary>Polls until the user's counts are as expected; returns the last counts seen.</summary>
    public static async Task<(int Inbox, int Junk)> WaitForCountsAsync(string user, int inbox, int junk,
        TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        (int, int) seen = (-1, -1);
        while (DateTime.UtcNow < deadline)
        {
            seen = await CountAsync(user);
            if (seen == (inbox, junk))
            {
                break;
            }

            await Task.Delay(250);
        }

        return seen;
    }

    /// <summary>
    /// Every message file in the mailboxes of <paramref name="users"/> (INBOX and Junk, new and cur), by the
    /// value of <paramref name="header"/>: how many files carry each value, per mailbox.
    /// </summary>
    /// <summary>
    /// <see cref="CountByHeader"/> until two scans in a row agree (Dovecot may move files from new/ to cur/
    /// meanwhile); at most ten tries.
    /// </summary>
    public static async Task<Dictionary<(string User, string Value), int>> StableCountsByHeaderAsync(
        string[] users, string header)
    {
        var previous = CountByHeader(users, header);
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(300);
            var current = CountByHeader(users, header);
            if (current.Count == previous.Count && current.All(c => previous.GetValueOrDefault(c.Key) == c.Value))
            {
                return current;
            }

            previous = current;
        }

        return previous;
    }

    public static Dictionary<(string User, string Value), int> CountByHeader(IEnumerable<string> users, string header)
    {
        var root = TestEnvironment.Require(TestEnvironment.DovecotMailVariable);
        var counts = new Dictionary<(string, string), int>();
        var prefix = header + ": ";
        foreach (var user in users)
        {
            var at = user.IndexOf('@');
            var mailbox = Path.Combine(root, user[(at + 1)..], user[..at]);
            foreach (var folder in new[] { mailbox, Path.Combine(mailbox, ".Junk") })
            {
                foreach (var sub in new[] { "new", "cur" })
                {
                    var dir = Path.Combine(folder, sub);
                    if (!Directory.Exists(dir))
                    {
                        continue;
                    }

                    foreach (var file in Directory.EnumerateFiles(dir))
                    {
                        foreach (var line in ReadHeader(file))
                        {
                            if (line.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                            {
                                var key = (user, line[prefix.Length..].Trim());
                                counts[key] = counts.GetValueOrDefault(key) + 1;
                            }
                        }
                    }
                }
            }
        }

        return counts;
    }

    private static IEnumerable<string> ReadHeader(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file, Encoding.UTF8);
        }
        catch (FileNotFoundException)
        {
            // Dovecot moved it from new/ to cur/ meanwhile; it is counted there (or on the next poll).
            yield break;
        }

        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0)
            {
                yield break;
            }

            yield return trimmed;
        }
    }
}
