using System.Globalization;
using System.Text;
using Gateway.RetroRemediation.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Xunit;

namespace Gateway.RetroRemediation.Tests;

/// <summary>
/// The tier against the real test Dovecot: mail delivered over LMTP, remediated over IMAP as the
/// master user, checked with an independent IMAP session.
/// </summary>
public sealed class RetroRemediationServiceImapTests
{
    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task ConvictReverseAndUserRescue_TwoMailboxes_FollowTheRules()
    {
        using var host = RemediationHost.Start(ImapSettings());
        var tag = Guid.NewGuid().ToString("N")[..10];

        // ann gets it through a subaddress: her mailbox, and so her login, is the address without it.
        var annRecipient = $"ann-{tag}+news@remediation.test";
        var ann = $"ann-{tag}@remediation.test";
        var bob = $"bob-{tag}@remediation.test";
        var (messageId, size) = await DeliverAsync([annRecipient, bob], tag);
        foreach (var recipient in new[] { annRecipient, bob })
        {
            await host.RecordAsync(Record(recipient, messageId, size, "x1:aa", "x1:bb"));
        }

        Assert.Equal(1, await ImapProbe.CountAsync(ann, "INBOX", messageId));
        Assert.Equal(1, await ImapProbe.CountAsync(bob, "INBOX", messageId));

        // Conviction: both copies go to Junk.
        var convicted = await host.HandleAsync(Events.Convicted("x1:aa"));
        Assert.Equal(Summary(found: 2, acted: 2), convicted);
        await AssertPlacesAsync(messageId, (ann, "Junk"), (bob, "Junk"));

        // Reversal: both come back.
        var reversed = await host.HandleAsync(Events.Reversed("x1:aa"));
        Assert.Equal(Summary(found: 2, acted: 2), reversed);
        await AssertPlacesAsync(messageId, (ann, "INBOX"), (bob, "INBOX"));

        // Convicted again; ann disagrees and drags her copy back to the inbox.
        var again = await host.HandleAsync(Events.Convicted("x1:aa"));
        Assert.Equal(Summary(found: 2, acted: 2), again);
        await ImapProbe.MoveAsync(ann, "Junk", "INBOX", messageId);

        // A later conviction leaves both where they are and remembers ann's choice.
        var later = await host.HandleAsync(Events.Convicted("x1:bb"));
        Assert.Equal(Summary(found: 2, skipped: 2), later);
        await AssertPlacesAsync(messageId, (ann, "INBOX"), (bob, "Junk"));
        var states = await StatesAsync(host);
        Assert.Equal(CopyState.UserRestored, states[annRecipient]);
        Assert.Equal(CopyState.MovedToJunk, states[bob]);

        // A final reversal restores bob only; ann's copy is hers.
        var final = await host.HandleAsync(Events.Reversed("x1:bb"));
        Assert.Equal(Summary(found: 2, acted: 1, skipped: 1), final);
        await AssertPlacesAsync(messageId, (ann, "INBOX"), (bob, "INBOX"));
    }

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task Conviction_PasswordFromFileAndLoginFormat_MovesTheCopy()
    {
        var passwordFile = Path.GetTempFileName();
        try
        {
            var password = TestEnvironment.Require(TestEnvironment.MasterPasswordVariable);
            await File.WriteAllTextAsync(passwordFile, password + "\n");
            var settings = ImapSettings();
            settings.Remove("Gateway:Remediation:Imap:MasterPassword");
            settings["Gateway:Remediation:Imap:MasterPasswordFile"] = passwordFile;
            settings["Gateway:Remediation:Imap:LoginFormat"] = "{local}@{domain}";
            using var host = RemediationHost.Start(settings);
            var carol = $"carol-{Guid.NewGuid().ToString("N")[..10]}@remediation.test";
            var (messageId, size) = await DeliverAsync([carol], "file");
            await host.RecordAsync(Record(carol, messageId, size, "x1:cc"));

            var summary = await host.HandleAsync(Events.Convicted("x1:cc"));

            Assert.Equal(Summary(found: 1, acted: 1), summary);
            await AssertPlacesAsync(messageId, (carol, "Junk"));
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task Conviction_WrongMasterPassword_FailsAndLeavesTheCopy()
    {
        var settings = ImapSettings();
        settings["Gateway:Remediation:Imap:MasterPassword"] = "wrong-" + Guid.NewGuid().ToString("N");
        using var host = RemediationHost.Start(settings);
        var dave = $"dave-{Guid.NewGuid().ToString("N")[..10]}@remediation.test";
        var (messageId, size) = await DeliverAsync([dave], "wrong");
        await host.RecordAsync(Record(dave, messageId, size, "x1:dd"));

        var summary = await host.HandleAsync(Events.Convicted("x1:dd"));

        Assert.Equal(Summary(found: 1, failed: 1), summary);
        await AssertPlacesAsync(messageId, (dave, "INBOX"));
        var copy = Assert.Single((await host.FindAsync("x1:dd")).Copies);
        Assert.Equal(CopyState.Delivered, copy.State);
        Assert.Contains("master login", copy.LastAction, StringComparison.Ordinal);
        var wrongPassword = settings["Gateway:Remediation:Imap:MasterPassword"]!;
        Assert.DoesNotContain(host.Logs.Events, e => e.Message.Contains(wrongPassword, StringComparison.Ordinal));
    }

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task Conviction_UserDeletedTheCopy_NotFoundAndSkipped()
    {
        using var host = RemediationHost.Start(ImapSettings());
        var erin = $"erin-{Guid.NewGuid().ToString("N")[..10]}@remediation.test";
        var (messageId, size) = await DeliverAsync([erin], "deleted");
        await host.RecordAsync(Record(erin, messageId, size, "x1:ee"));
        await ImapProbe.MoveAsync(erin, "INBOX", "Trash", messageId);

        var summary = await host.HandleAsync(Events.Convicted("x1:ee"));

        Assert.Equal(Summary(found: 1, skipped: 1), summary);
        await AssertPlacesAsync(messageId, (erin, "Trash"));
        var copy = Assert.Single((await host.FindAsync("x1:ee")).Copies);
        Assert.Equal(CopyState.NotFound, copy.State);
    }

    private static Dictionary<string, string?> ImapSettings()
    {
        var (host, port) = TestEnvironment.HostPort(TestEnvironment.ImapVariable);
        return new Dictionary<string, string?>
        {
            ["Gateway:Remediation:Imap:Host"] = host,
            ["Gateway:Remediation:Imap:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Gateway:Remediation:Imap:MasterUser"] = TestEnvironment.Require(TestEnvironment.MasterUserVariable),
            ["Gateway:Remediation:Imap:MasterPassword"] =
                TestEnvironment.Require(TestEnvironment.MasterPasswordVariable),
            ["Gateway:Remediation:Imap:Timeout"] = "00:00:20",
        };
    }

    private static async Task<(string MessageId, long Size)> DeliverAsync(IReadOnlyList<string> recipients, string tag)
    {
        var messageId = $"<{Guid.NewGuid():N}.{tag}@sender.test>";
        var message = string.Join("\r\n",
            "From: Sender <sender@sender.test>",
            $"To: {string.Join(", ", recipients)}",
            $"Subject: remediation test {tag}",
            $"Message-ID: {messageId}",
            $"Date: {DateTimeOffset.UtcNow:R}",
            "",
            "Buy now.",
            ".a line that needs dot-stuffing",
            "");
        var (host, port) = TestEnvironment.HostPort(TestEnvironment.LmtpVariable);
        await LmtpDelivery.DeliverAsync(host, port, "sender@sender.test", recipients, message);
        return (messageId, Encoding.ASCII.GetByteCount(message));
    }

    private static DeliveryRecord Record(string recipient, string messageId, long size, params string[] fingerprints)
    {
        var record = new DeliveryRecord
        {
            QueueId = "q-" + Guid.NewGuid().ToString("N"),
            Recipient = recipient,
            Store = MailboxStoreKind.Imap,
            Folder = "INBOX",
            MessageId = messageId,
            Size = size,
            DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        };
        record.Fingerprints.AddRange(fingerprints);
        return record;
    }

    private static async Task AssertPlacesAsync(string messageId, params (string Mailbox, string Folder)[] expected)
    {
        foreach (var (mailbox, folder) in expected)
        {
            foreach (var candidate in new[] { "INBOX", "Junk" }.Append(folder).Distinct())
            {
                var count = await ImapProbe.CountAsync(mailbox, candidate, messageId);
                Assert.True(count == (candidate == folder ? 1 : 0),
                    $"{mailbox}: expected the message only in {folder}, found {count} in {candidate}");
            }
        }
    }

    private static async Task<Dictionary<string, CopyState>> StatesAsync(RemediationHost host)
    {
        var reply = await host.FindAsync("x1:aa");
        return reply.Copies.ToDictionary(c => c.Record.Recipient, c => c.State);
    }

    private static RemediationSummary Summary(int found, int acted = 0, int failed = 0, int skipped = 0) => new()
    {
        CopiesFound = found,
        CopiesActed = acted,
        CopiesFailed = failed,
        CopiesSkipped = skipped,
    };
}
