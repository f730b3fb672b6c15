using System.Globalization;
using Gateway.RetroRemediation.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Xunit;

namespace Gateway.RetroRemediation.Tests;

/// <summary>The whole tier against the test Redis and a temporary Maildir tree.</summary>
public sealed class RetroRemediationServiceMaildirTests : IDisposable
{
    private const string Ann = "ann@example.test";
    private const string Bob = "bob@example.test";

    private readonly TestMaildirTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task FindDeliveries_AnyFingerprintOfTheCopy_FindsItOnce()
    {
        await using var host = await StartHost();
        var record = _tree.Deliver(Ann, "x1:aa", "x1:bb");
        await host.RecordAsync(record);

        var byFirst = await Find(host, "x1:aa");
        var byBoth = await Find(host, "x1:bb", "x1:aa");
        var byOther = await Find(host, "x1:zz");

        Assert.Equal(record.QueueId, Assert.Single(byFirst.Copies).Record.QueueId);
        Assert.Equal(CopyState.Delivered, Assert.Single(byBoth.Copies).State);
        Assert.Empty(byOther.Copies);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_TwoRecipients_BothCopiesMovedToJunk()
    {
        await using var host = await StartHost();
        var ann = await Record(host, Ann, "x1:aa", "x1:bb");
        var bob = await Record(host, Bob, "x1:aa", "x1:bb");
        var conviction = Events.Convicted("x1:bb");

        var summary = await host.HandleAsync(conviction);

        Assert.Equal(Summary(found: 2, acted: 2), summary);
        Assert.Equal(["new/" + Path.GetFileName(ann.Location)], TestMaildirTree.FilesIn(_tree.JunkOf(Ann)));
        Assert.Equal(["new/" + Path.GetFileName(bob.Location)], TestMaildirTree.FilesIn(_tree.JunkOf(Bob)));
        Assert.Empty(TestMaildirTree.FilesIn(_tree.MaildirOf(Ann)));
        var copies = (await Find(host, "x1:aa")).Copies;
        Assert.All(copies, c => Assert.Equal(CopyState.MovedToJunk, c.State));
        Assert.All(copies, c => Assert.Equal("move to junk: done", c.LastAction));
        Assert.All(copies, c => Assert.NotNull(c.LastActionAt));
        var audit = (await host.Queries.ListActionsAsync(new ListActionsRequest(), CancellationToken.None)).Entries;
        Assert.Equal(2, audit.Count);
        Assert.All(audit,
            e => Assert.Equal((conviction.EventId, "move_to_junk", "done"), (e.EventId, e.Action, e.Result)));
        Assert.Equal(copies.Select(c => c.CopyId).Order(), audit.Select(e => e.CopyId).Order());
        Assert.Equal(0, await host.Queue.CountAsync());
        Assert.Equal(2, host.Logs.Messages("CopyActed").Count());
        Assert.Single(host.Logs.Messages("EventHandled"));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_Twice_SecondMovesNothing()
    {
        await using var host = await StartHost();
        var ann = await Record(host, Ann, "x1:aa", "x1:bb");
        await host.HandleAsync(Events.Convicted("x1:aa"));

        var second = await host.HandleAsync(Events.Convicted("x1:bb"));

        Assert.Equal(Summary(found: 1, skipped: 1), second);
        Assert.Equal(["new/" + Path.GetFileName(ann.Location)], TestMaildirTree.FilesIn(_tree.JunkOf(Ann)));
        Assert.Equal(CopyState.MovedToJunk, Assert.Single((await Find(host, "x1:aa")).Copies).State);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Reversal_AfterConviction_MovesCopiesBackWithTheirFlags()
    {
        await using var host = await StartHost();
        var ann = await Record(host, Ann, "x1:aa");
        var bob = await Record(host, Bob, "x1:aa");

        // Bob's client has seen the message: it is in cur/ with the Seen flag.
        var bobSeen = Path.GetFileName(bob.Location) + ":2,S";
        File.Move(bob.Location, Path.Combine(_tree.MaildirOf(Bob), "cur", bobSeen));
        await host.HandleAsync(Events.Convicted("x1:aa"));

        var summary = await host.HandleAsync(Events.Reversed("x1:aa"));

        Assert.Equal(Summary(found: 2, acted: 2), summary);
        Assert.Equal(["new/" + Path.GetFileName(ann.Location)], TestMaildirTree.FilesIn(_tree.MaildirOf(Ann)));
        Assert.Equal(["cur/" + bobSeen], TestMaildirTree.FilesIn(_tree.MaildirOf(Bob)));
        Assert.Empty(TestMaildirTree.FilesIn(_tree.JunkOf(Ann)));
        Assert.All((await Find(host, "x1:aa")).Copies, c => Assert.Equal(CopyState.Restored, c.State));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_AfterReversal_MovesAgain()
    {
        await using var host = await StartHost();
        var ann = await Record(host, Ann, "x1:aa");
        await host.HandleAsync(Events.Convicted("x1:aa"));
        await host.HandleAsync(Events.Reversed("x1:aa"));

        var summary = await host.HandleAsync(Events.Convicted("x1:aa"));

        Assert.Equal(Summary(found: 1, acted: 1), summary);
        Assert.Equal(["new/" + Path.GetFileName(ann.Location)], TestMaildirTree.FilesIn(_tree.JunkOf(Ann)));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task UserMovedCopyBack_LaterConvictionLeavesItForGood()
    {
        await using var host = await StartHost();
        var ann = await Record(host, Ann, "x1:aa", "x1:bb");
        await host.HandleAsync(Events.Convicted("x1:aa"));

        // The user's client moves it from Junk back to the inbox, marking it seen on the way.
        var name = Path.GetFileName(ann.Location);
        File.Move(
            Path.Combine(_tree.JunkOf(Ann), "new", name), Path.Combine(_tree.MaildirOf(Ann), "cur", name + ":2,S"));

        var second = await host.HandleAsync(Events.Convicted("x1:bb"));
        var reversal = await host.HandleAsync(Events.Reversed("x1:aa"));
        var third = await host.HandleAsync(Events.Convicted("x1:aa"));

        Assert.Equal(Summary(found: 1, skipped: 1), second);
        Assert.Equal(Summary(found: 1, skipped: 1), reversal);
        Assert.Equal(Summary(found: 1, skipped: 1), third);
        Assert.Equal(["cur/" + name + ":2,S"], TestMaildirTree.FilesIn(_tree.MaildirOf(Ann)));
        Assert.Empty(TestMaildirTree.FilesIn(_tree.JunkOf(Ann)));
        var copy = Assert.Single((await Find(host, "x1:aa")).Copies);
        Assert.Equal(CopyState.UserRestored, copy.State);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Reversal_UserAlreadyMovedItBack_MarksUserRestored()
    {
        await using var host = await StartHost();
        var ann = await Record(host, Ann, "x1:aa");
        await host.HandleAsync(Events.Convicted("x1:aa"));
        var name = Path.GetFileName(ann.Location);
        File.Move(Path.Combine(_tree.JunkOf(Ann), "new", name), Path.Combine(_tree.MaildirOf(Ann), "new", name));

        var reversal = await host.HandleAsync(Events.Reversed("x1:aa"));
        var conviction = await host.HandleAsync(Events.Convicted("x1:aa"));

        Assert.Equal(Summary(found: 1, skipped: 1), reversal);
        Assert.Equal(Summary(found: 1, skipped: 1), conviction);
        Assert.Equal(["new/" + name], TestMaildirTree.FilesIn(_tree.MaildirOf(Ann)));
        Assert.Equal(CopyState.UserRestored, Assert.Single((await Find(host, "x1:aa")).Copies).State);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_OneCopyHostileOneDeletedOneFine_OthersStillHandled()
    {
        await using var host = await StartHost();
        var ann = await Record(host, Ann, "x1:aa");
        var bob = await Record(host, Bob, "x1:aa");
        File.Delete(bob.Location);

        // Carol's record points at Ann's file: it must be refused, and must not stop Ann's.
        var carol = _tree.Deliver("carol@example.test", "x1:aa");
        carol.Location = ann.Location.Replace("/ann/", "/ann/new/../", StringComparison.Ordinal);
        await host.RecordAsync(carol);

        var summary = await host.HandleAsync(Events.Convicted("x1:aa"));

        Assert.Equal(Summary(found: 3, acted: 1, failed: 1, skipped: 1), summary);
        Assert.Equal(["new/" + Path.GetFileName(ann.Location)], TestMaildirTree.FilesIn(_tree.JunkOf(Ann)));
        var states = (await Find(host, "x1:aa")).Copies.ToDictionary(c => c.Record.Recipient, c => c.State);
        Assert.Equal(CopyState.MovedToJunk, states[Ann]);
        Assert.Equal(CopyState.NotFound, states[Bob]);
        Assert.Equal(CopyState.Failed, states["carol@example.test"]);
        Assert.Single(TestMaildirTree.FilesIn(_tree.MaildirOf("carol@example.test")));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_ImapStoreUnreachable_FailsThatCopyKeepsItsStateAndMovesTheOthers()
    {
        await using var host = await StartHost(new Dictionary<string, string?>
        {
            ["Gateway:Remediation:Imap:Host"] = "127.0.0.1",
            ["Gateway:Remediation:Imap:Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Gateway:Remediation:Imap:MasterUser"] = "gwmaster",
            ["Gateway:Remediation:Imap:MasterPassword"] = "unused",
            ["Gateway:Remediation:Imap:Timeout"] = "00:00:05",
        });
        var ann = await Record(host, Ann, "x1:aa");
        var imapCopy = new DeliveryRecord(ann)
        {
            QueueId = "q-imap",
            Recipient = "dave@example.test",
            Store = MailboxStoreKind.Imap,
            Location = "",
        };
        await host.RecordAsync(imapCopy);

        var failedBefore = MetricValue("gateway_remediation_actions_total", "imap", "move_to_junk", "failed");
        var summary = await host.HandleAsync(Events.Convicted("x1:aa"));

        Assert.Equal(Summary(found: 2, acted: 1, failed: 1), summary);
        Assert.True(MetricValue("gateway_remediation_actions_total", "imap", "move_to_junk", "failed") > failedBefore);
        var imap = (await Find(host, "x1:aa")).Copies.Single(c => c.Record.Store == MailboxStoreKind.Imap);
        Assert.Equal(CopyState.Delivered, imap.State);
        Assert.Equal("move to junk: retrying", imap.LastAction);
        Assert.NotEmpty(host.Logs.Messages("CopyActionFailed"));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_AfterTheWindow_FindsNothingAndLeavesTheFile()
    {
        await using var host = await StartHost(
            new Dictionary<string, string?> { ["Gateway:Remediation:Window"] = "00:00:01" });
        var ann = await Record(host, Ann, "x1:aa");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await Find(host, "x1:aa")).Copies.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the copy outlived its window");
            await Task.Delay(100);
        }

        var summary = await host.HandleAsync(Events.Convicted("x1:aa"));

        Assert.Equal(Summary(found: 0), summary);
        Assert.True(File.Exists(ann.Location));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_ManyCopies_AllMovedInParallel()
    {
        await using var host = await StartHost();
        var records = new List<DeliveryRecord>();
        for (var i = 0; i < 12; i++)
        {
            records.Add(await Record(host, $"user{i}@example.test", "x1:bulk"));
        }

        var summary = await host.HandleAsync(Events.Convicted("x1:bulk"));

        Assert.Equal(Summary(found: 12, acted: 12), summary);
        Assert.All(records, r => Assert.Single(TestMaildirTree.FilesIn(_tree.JunkOf(r.Recipient))));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task RateLimit_MaxActionsPerSecond_SpreadsTheMoves()
    {
        await using var host = await StartHost(new Dictionary<string, string?>
        {
            ["Gateway:Remediation:Maildir:MaxActionsPerSecond"] = "5",
        });
        for (var i = 0; i < 15; i++)
        {
            await Record(host, $"rate{i}@example.test", "x1:rate");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var summary = await host.HandleAsync(Events.Convicted("x1:rate"));

        // A bucket of 5 and 5 more a second: the last of 15 moves cannot start before about 2 s.
        Assert.Equal(Summary(found: 15, acted: 15), summary);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"15 moves at 5/s took only {clock.Elapsed}");
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Conviction_Metrics_CountActionsAndObserveLatency()
    {
        await using var host = await StartHost();
        await Record(host, Ann, "x1:metrics");
        var before = MetricValue("gateway_remediation_action_latency_seconds_count", "maildir", "move_to_junk");
        var conviction = Events.Convicted("x1:metrics");
        conviction.At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-3));

        await host.HandleAsync(conviction);

        var after = MetricValue("gateway_remediation_action_latency_seconds_count", "maildir", "move_to_junk");
        Assert.Equal(before + 1, after);
        var entry = Assert.Single((await host.Queries.ListActionsAsync(new ListActionsRequest(), default)).Entries);
        Assert.InRange(entry.LatencySeconds, 3, 60);
    }

    private static double MetricValue(string name, string store, string action, string? result = null)
    {
        using var stream = new MemoryStream();
        Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        var line = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n')
            .FirstOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal)
                && l.Contains($"store=\"{store}\"", StringComparison.Ordinal)
                && l.Contains($"action=\"{action}\"", StringComparison.Ordinal)
                && (result is null || l.Contains($"result=\"{result}\"", StringComparison.Ordinal)));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task RecordDelivery_MalformedRecord_IsRejected()
    {
        await using var host = await StartHost();
        var noQueue = _tree.Deliver(Ann, "x1:aa");
        noQueue.QueueId = "";
        var badRecipient = _tree.Deliver(Ann, "x1:aa");
        badRecipient.Recipient = "nobody";
        var badFingerprint = _tree.Deliver(Ann, "x1 aa");
        var noStore = _tree.Deliver(Ann, "x1:aa");
        noStore.Store = MailboxStoreKind.Unspecified;

        foreach (var record in new[] { noQueue, badRecipient, badFingerprint, noStore })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => host.RecordAsync(record));
        }

        await Assert.ThrowsAsync<ArgumentException>(() => host.HandleAsync(
            new FingerprintEvent { EventId = "e", Fingerprints = { "x1:aa" } }));
    }

    private Task<RemediationHost> StartHost(Dictionary<string, string?>? settings = null)
    {
        var values = settings ?? new Dictionary<string, string?>();
        values["Gateway:Remediation:MaildirRoot"] = _tree.Root;
        return RemediationHost.StartAsync(values);
    }

    private async Task<DeliveryRecord> Record(RemediationHost host, string recipient, params string[] fingerprints)
    {
        var record = _tree.Deliver(recipient, fingerprints);
        await host.RecordAsync(record);
        return record;
    }

    private static Task<FindDeliveriesReply> Find(RemediationHost host, params string[] fingerprints) =>
        host.FindAsync(fingerprints);

    private static RemediationSummary Summary(int found, int acted = 0, int failed = 0, int skipped = 0) => new()
    {
        CopiesFound = found,
        CopiesActed = acted,
        CopiesFailed = failed,
        CopiesSkipped = skipped,
    };
}
