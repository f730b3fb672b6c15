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
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task ConvictReverseAndUserRescue_TwoMailboxes_FollowTheRules()
    {
        await using var host = await RemediationHost.StartAsync(ImapSettings());
        var tag = Tag();

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

        // Reversal (undo): both come back.
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
        var states = await StatesAsync(host, "x1:aa");
        Assert.Equal(CopyState.UserRestored, states[annRecipient]);
        Assert.Equal(CopyState.MovedToJunk, states[bob]);

        // A final reversal restores bob only; ann's copy is hers.
        var final = await host.HandleAsync(Events.Reversed("x1:bb"));
        Assert.Equal(Summary(found: 2, acted: 1, skipped: 1), final);
        await AssertPlacesAsync(messageId, (ann, "INBOX"), (bob, "INBOX"));

        // And the audit tells the story of ann's copy, newest first.
        var show = await host.Queries.ShowCopyAsync(new ShowCopyRequest { Id = messageId }, CancellationToken.None);
        Assert.Equal(2, show.Copies.Count);
        var annActions = show.Actions.Where(a => a.Recipient == annRecipient).Select(a => $"{a.Action}:{a.Result}");
        Assert.Equal(["locate:inbox", "move_to_junk:done", "restore:done", "move_to_junk:done"], annActions);
    }

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task StoreDownThenUp_ActionsRetriedNothingLost()
    {
        var (imapHost, imapPort) = TestEnvironment.HostPort(TestEnvironment.ImapVariable);
        await using var store = new TcpForwarder(FreePort.Next(), imapHost, imapPort);
        var settings = ImapSettings(store.Port);
        settings["Gateway:Remediation:Imap:Timeout"] = "00:00:05";
        await using var host = await RemediationHost.StartAsync(settings);
        var tag = Tag();
        var mailboxes = Enumerable.Range(0, 3).Select(i => $"down{i}-{tag}@remediation.test").ToList();
        var (messageId, size) = await DeliverAsync(mailboxes, tag);
        foreach (var mailbox in mailboxes)
        {
            await host.RecordAsync(Record(mailbox, messageId, size, "x1:down"));
        }

        // The store is down: nothing can be moved, nothing is dropped either.
        var summary = await host.HandleAsync(Events.Convicted("x1:down"));
        Assert.Equal(Summary(found: 3, failed: 3), summary);
        Assert.Equal(3, await host.Queue.CountAsync());
        Assert.All((await host.FindAsync("x1:down")).Copies, c => Assert.Equal("move to junk: retrying", c.LastAction));

        // Back up: the worker retries and every copy lands in Junk.
        store.Start();
        await RemediationHost.WaitUntilAsync(
            async () => await host.Queue.CountAsync() == 0, Patience, "the pending actions to be carried out");
        await AssertPlacesAsync(messageId, mailboxes.Select(m => (m, "Junk")).ToArray());
        Assert.All((await host.FindAsync("x1:down")).Copies, c => Assert.Equal(CopyState.MovedToJunk, c.State));
        var audit = (await host.Queries.ListActionsAsync(new ListActionsRequest(), CancellationToken.None)).Entries;
        Assert.Equal(3, audit.Count(e => e.Result == "done"));
        Assert.Equal(3, audit.Count(e => e.Result == "retrying" && e.Attempt == 1));
    }

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task StoreDown_ProcessRestarts_PendingActionsReplayed()
    {
        var (imapHost, imapPort) = TestEnvironment.HostPort(TestEnvironment.ImapVariable);
        await using var store = new TcpForwarder(FreePort.Next(), imapHost, imapPort);
        var settings = ImapSettings(store.Port);
        var tag = Tag();
        var mailbox = $"restart-{tag}@remediation.test";
        var (messageId, size) = await DeliverAsync([mailbox], tag);
        string prefix;

        await using (var first = await RemediationHost.StartAsync(settings))
        {
            prefix = first.KeyPrefix;
            await first.RecordAsync(Record(mailbox, messageId, size, "x1:restart"));
            Assert.Equal(Summary(found: 1, failed: 1), await first.HandleAsync(Events.Convicted("x1:restart")));
        }

        // The first process is gone; the store comes back; a new process finds the action and does it.
        store.Start();
        await using var second = await RemediationHost.StartAsync(settings, keyPrefix: prefix);
        await RemediationHost.WaitUntilAsync(
            async () => await second.Queue.CountAsync() == 0, Patience, "the replayed action");
        await AssertPlacesAsync(messageId, (mailbox, "Junk"));
        var copy = Assert.Single((await second.FindAsync("x1:restart")).Copies);
        Assert.Equal(CopyState.MovedToJunk, copy.State);
    }

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task SessionReuse_CopiesOfOneMailbox_OneLogin_AndADroppedSessionIsReplaced()
    {
        var (imapHost, imapPort) = TestEnvironment.HostPort(TestEnvironment.ImapVariable);
        await using var store = new TcpForwarder(FreePort.Next(), imapHost, imapPort);
        store.Start();
        await using var host = await RemediationHost.StartAsync(ImapSettings(store.Port));
        var tag = Tag();
        var mailbox = $"reuse-{tag}@remediation.test";
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (messageId, size) = await DeliverAsync([mailbox], $"{tag}-{i}");
            await host.RecordAsync(Record(mailbox, messageId, size, "x1:reuse"));
            ids.Add(messageId);
        }

        Assert.Equal(Summary(found: 4, acted: 4), await host.HandleAsync(Events.Convicted("x1:reuse")));
        Assert.Equal(1, store.Connections);

        // The server side drops every connection (a restart); the kept session is found dead and replaced.
        await store.StopAsync();
        store.Start();
        Assert.Equal(Summary(found: 4, acted: 4), await host.HandleAsync(Events.Reversed("x1:reuse")));
        Assert.Equal(2, store.Connections);
        foreach (var messageId in ids)
        {
            await AssertPlacesAsync(messageId, (mailbox, "INBOX"));
        }
    }

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task DryRun_RecordsWhatItWouldDoAndTouchesNothing()
    {
        var settings = ImapSettings();
        settings["Gateway:Remediation:DryRun"] = "true";
        await using var host = await RemediationHost.StartAsync(settings);
        var tag = Tag();
        var mailbox = $"dry-{tag}@remediation.test";
        var (messageId, size) = await DeliverAsync([mailbox], tag);
        await host.RecordAsync(Record(mailbox, messageId, size, "x1:dry"));

        var summary = await host.HandleAsync(Events.Convicted("x1:dry"));

        Assert.Equal(Summary(found: 1, skipped: 1), summary);
        await AssertPlacesAsync(messageId, (mailbox, "INBOX"));
        var copy = Assert.Single((await host.FindAsync("x1:dry")).Copies);
        Assert.Equal(CopyState.Delivered, copy.State);
        Assert.Equal("move to junk: dry run", copy.LastAction);
        var entry = Assert.Single((await host.Queries.ListActionsAsync(new ListActionsRequest(), default)).Entries);
        Assert.Equal(("move_to_junk", "dry_run"), (entry.Action, entry.Result));
        Assert.Equal(0, await host.Queue.CountAsync());
    }

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task QuarantineFlagAndDelete_ApplyAndUndoOnDovecot()
    {
        var tag = Tag();
        var settings = ImapSettings();
        settings["Gateway:Remediation:Imap:Action"] = "MoveToQuarantine";
        await using (var host = await RemediationHost.StartAsync(settings))
        {
            var mailbox = $"quar-{tag}@remediation.test";
            var (messageId, size) = await DeliverAsync([mailbox], tag + "q");
            await host.RecordAsync(Record(mailbox, messageId, size, "x1:quar"));

            Assert.Equal(Summary(found: 1, acted: 1), await host.HandleAsync(Events.Convicted("x1:quar")));
            Assert.Equal(1, await ImapProbe.CountAsync(mailbox, "Quarantine", messageId));
            Assert.Equal(0, await ImapProbe.CountAsync(mailbox, "INBOX", messageId));
            Assert.Equal(Summary(found: 1, acted: 1), await host.HandleAsync(Events.Reversed("x1:quar")));
            Assert.Equal(0, await ImapProbe.CountAsync(mailbox, "Quarantine", messageId));
            Assert.Equal(1, await ImapProbe.CountAsync(mailbox, "INBOX", messageId));
        }

        settings["Gateway:Remediation:Imap:Action"] = "Flag";
        await using (var host = await RemediationHost.StartAsync(settings))
        {
            var mailbox = $"flag-{tag}@remediation.test";
            var (messageId, size) = await DeliverAsync([mailbox], tag + "f");
            await host.RecordAsync(Record(mailbox, messageId, size, "x1:flag"));

            Assert.Equal(Summary(found: 1, acted: 1), await host.HandleAsync(Events.Convicted("x1:flag")));
            Assert.Equal(["$Junk", "\\Flagged"], await ImapProbe.FlagsAsync(mailbox, messageId));
            Assert.Equal(CopyState.Flagged, Assert.Single((await host.FindAsync("x1:flag")).Copies).State);
            Assert.Equal(Summary(found: 1, acted: 1), await host.HandleAsync(Events.Reversed("x1:flag")));
            Assert.Empty(await ImapProbe.FlagsAsync(mailbox, messageId));
        }

        settings["Gateway:Remediation:Imap:Action"] = "Delete";
        settings["Gateway:Remediation:Imap:OnlyUnread"] = "true";
        await using (var host = await RemediationHost.StartAsync(settings))
        {
            var unread = $"del-{tag}@remediation.test";
            var read = $"read-{tag}@remediation.test";
            var (messageId, size) = await DeliverAsync([unread, read], tag + "d");
            await ImapProbe.MarkSeenAsync(read, messageId);
            await host.RecordAsync(Record(unread, messageId, size, "x1:del"));
            await host.RecordAsync(Record(read, messageId, size, "x1:del"));

            Assert.Equal(Summary(found: 2, acted: 1, skipped: 1), await host.HandleAsync(Events.Convicted("x1:del")));
            Assert.Equal(0, await ImapProbe.CountAsync(unread, "INBOX", messageId));
            Assert.Equal(1, await ImapProbe.CountAsync(read, "INBOX", messageId));
            var states = await StatesAsync(host, "x1:del");
            Assert.Equal(CopyState.Deleted, states[unread]);
            Assert.Equal(CopyState.Delivered, states[read]);

            // A reversal cannot bring a deleted copy back, and says so.
            Assert.Equal(Summary(found: 2, skipped: 2), await host.HandleAsync(Events.Reversed("x1:del")));
            var actions = (await host.Queries.ListActionsAsync(new ListActionsRequest(), default)).Entries;
            Assert.Contains(actions, a => (a.Recipient, a.Result) == (unread, "cannot_undo"));
            Assert.Contains(actions, a => (a.Recipient, a.Result) == (read, "skipped_read"));
        }
    }

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task SafeSenderAndExemptRecipient_CopiesNeverTouched()
    {
        var settings = ImapSettings();
        settings["Gateway:Remediation:SafeSenders:0"] = "partner.test";
        settings["Gateway:Remediation:ExemptRecipients:0"] = "legal@remediation.test";
        await using var host = await RemediationHost.StartAsync(settings);
        var tag = Tag();
        var normal = $"norm-{tag}@remediation.test";
        var fromPartner = $"part-{tag}@remediation.test";
        var (messageId, size) = await DeliverAsync([normal, fromPartner, "legal@remediation.test"], tag);
        await host.RecordAsync(Record(normal, messageId, size, "x1:safe"));
        var partner = Record(fromPartner, messageId, size, "x1:safe");
        partner.EnvelopeSender = "news@mail.partner.test";
        await host.RecordAsync(partner);
        await host.RecordAsync(Record("legal@remediation.test", messageId, size, "x1:safe"));

        var summary = await host.HandleAsync(Events.Convicted("x1:safe"));

        Assert.Equal(Summary(found: 3, acted: 1, skipped: 2), summary);
        await AssertPlacesAsync(
            messageId, (normal, "Junk"), (fromPartner, "INBOX"), ("legal@remediation.test", "INBOX"));
        var copies = (await host.FindAsync("x1:safe")).Copies.ToDictionary(c => c.Record.Recipient);
        Assert.Equal("safe sender", copies[fromPartner].ExemptBecause);
        Assert.Equal("skip: exempt", copies["legal@remediation.test"].LastAction);
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
            await using var host = await RemediationHost.StartAsync(settings);
            var carol = $"carol-{Tag()}@remediation.test";
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
    public async Task Conviction_DomainAccount_UsedForItsDomainInsteadOfTheMasterUser()
    {
        var passwordFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(
                passwordFile, TestEnvironment.Require(TestEnvironment.MasterPasswordVariable) + "\n");
            var settings = ImapSettings();
            settings["Gateway:Remediation:Imap:MasterPassword"] = "not-the-password";
            settings["Gateway:Remediation:Imap:DomainAccounts:0:Domain"] = "remediation.test";
            settings["Gateway:Remediation:Imap:DomainAccounts:0:MasterUser"] =
                TestEnvironment.Require(TestEnvironment.MasterUserVariable);
            settings["Gateway:Remediation:Imap:DomainAccounts:0:MasterPasswordFile"] = passwordFile;
            await using var host = await RemediationHost.StartAsync(settings);
            var fred = $"fred-{Tag()}@remediation.test";
            var (messageId, size) = await DeliverAsync([fred], "domain");
            await host.RecordAsync(Record(fred, messageId, size, "x1:dom"));

            Assert.Equal(Summary(found: 1, acted: 1), await host.HandleAsync(Events.Convicted("x1:dom")));
            await AssertPlacesAsync(messageId, (fred, "Junk"));
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task Conviction_WrongMasterPassword_FailsKeepsItPendingAndLeavesTheCopy()
    {
        var settings = ImapSettings();
        settings["Gateway:Remediation:Imap:MasterPassword"] = "wrong-" + Guid.NewGuid().ToString("N");
        await using var host = await RemediationHost.StartAsync(settings);
        var dave = $"dave-{Tag()}@remediation.test";
        var (messageId, size) = await DeliverAsync([dave], "wrong");
        await host.RecordAsync(Record(dave, messageId, size, "x1:dd"));

        var summary = await host.HandleAsync(Events.Convicted("x1:dd"));

        Assert.Equal(Summary(found: 1, failed: 1), summary);
        await AssertPlacesAsync(messageId, (dave, "INBOX"));
        var copy = Assert.Single((await host.FindAsync("x1:dd")).Copies);
        Assert.Equal(CopyState.Delivered, copy.State);
        Assert.Equal(1, await host.Queue.CountAsync());
        var entry = (await host.Queries.ListActionsAsync(new ListActionsRequest(), default)).Entries.Last();
        Assert.Contains("master login", entry.Detail, StringComparison.Ordinal);
        var wrongPassword = settings["Gateway:Remediation:Imap:MasterPassword"]!;
        Assert.DoesNotContain(host.Logs.Events, e => e.Message.Contains(wrongPassword, StringComparison.Ordinal));
    }

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.ImapVariable, TestEnvironment.LmtpVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task Conviction_UserDeletedTheCopy_NotFoundAndSkipped()
    {
        await using var host = await RemediationHost.StartAsync(ImapSettings());
        var erin = $"erin-{Tag()}@remediation.test";
        var (messageId, size) = await DeliverAsync([erin], "deleted");
        await host.RecordAsync(Record(erin, messageId, size, "x1:ee"));
        await ImapProbe.MoveAsync(erin, "INBOX", "Trash", messageId);

        var summary = await host.HandleAsync(Events.Convicted("x1:ee"));

        Assert.Equal(Summary(found: 1, skipped: 1), summary);
        await AssertPlacesAsync(messageId, (erin, "Trash"));
        var copy = Assert.Single((await host.FindAsync("x1:ee")).Copies);
        Assert.Equal(CopyState.NotFound, copy.State);
    }

    internal static Dictionary<string, string?> ImapSettings(int? port = null)
    {
        var (host, imapPort) = TestEnvironment.HostPort(TestEnvironment.ImapVariable);
        return new Dictionary<string, string?>
        {
            ["Gateway:Remediation:Imap:Host"] = host,
            ["Gateway:Remediation:Imap:Port"] = (port ?? imapPort).ToString(CultureInfo.InvariantCulture),
            ["Gateway:Remediation:Imap:MasterUser"] = TestEnvironment.Require(TestEnvironment.MasterUserVariable),
            ["Gateway:Remediation:Imap:MasterPassword"] =
                TestEnvironment.Require(TestEnvironment.MasterPasswordVariable),
            ["Gateway:Remediation:Imap:Timeout"] = "00:00:20",
        };
    }

    internal static async Task<(string MessageId, long Size)> DeliverAsync(IReadOnlyList<string> recipients, string tag)
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

    internal static DeliveryRecord Record(string recipient, string messageId, long size, params string[] fingerprints)
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

    private static string Tag() => Guid.NewGuid().ToString("N")[..10];

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

    private static async Task<Dictionary<string, CopyState>> StatesAsync(RemediationHost host, string fingerprint)
    {
        var reply = await host.FindAsync(fingerprint);
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
