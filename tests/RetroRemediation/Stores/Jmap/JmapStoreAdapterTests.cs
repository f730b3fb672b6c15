using Gateway.RetroRemediation.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Xunit;

namespace Gateway.RetroRemediation.Tests.Stores.Jmap;

/// <summary>The tier with a JMAP store, against <see cref="JmapTestServer"/> on 127.0.0.1.</summary>
public sealed class JmapStoreAdapterTests : IAsyncLifetime
{
    private readonly JmapTestServer _server = new();
    private readonly string _passwordFile = Path.GetTempFileName();

    public async Task InitializeAsync() => await File.WriteAllTextAsync(_passwordFile, JmapTestServer.Password + "\n");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        File.Delete(_passwordFile);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ConvictUndoAndUserRestore_MovesByMailboxIds()
    {
        await using var host = await StartAsync();
        var (ann, bob) = ("ann@jmap.test", "bob@jmap.test");
        var messageId = $"<{Guid.NewGuid():N}@sender.test>";
        var annEmail = _server.Deliver(ann, messageId, 2048);
        var bobEmail = _server.Deliver(bob, messageId, 2048);
        await host.RecordAsync(Record(ann, messageId, 2048, "x1:jm"));
        await host.RecordAsync(Record(bob, messageId, 2048, "x1:jm"));

        Assert.Equal(Summary(2, acted: 2), await host.HandleAsync(Events.Convicted("x1:jm")));
        Assert.Equal(["Junk"], _server.Inspect(ann, annEmail)!.Value.Mailboxes);
        Assert.Equal(["Junk"], _server.Inspect(bob, bobEmail)!.Value.Mailboxes);

        Assert.Equal(Summary(2, acted: 2), await host.HandleAsync(Events.Reversed("x1:jm")));
        Assert.Equal(["Inbox"], _server.Inspect(ann, annEmail)!.Value.Mailboxes);

        // Convicted again; bob takes his copy back; the next conviction leaves it with him.
        Assert.Equal(Summary(2, acted: 2), await host.HandleAsync(Events.Convicted("x1:jm")));
        _server.UserMove(bob, bobEmail, "Inbox");
        Assert.Equal(Summary(2, skipped: 2), await host.HandleAsync(Events.Convicted("x1:jm")));
        Assert.Equal(["Inbox"], _server.Inspect(bob, bobEmail)!.Value.Mailboxes);
        var states = (await host.FindAsync("x1:jm")).Copies.ToDictionary(c => c.Record.Recipient, c => c.State);
        Assert.Equal(CopyState.UserRestored, states[bob]);
        Assert.Equal(CopyState.MovedToJunk, states[ann]);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task QuarantineAndFlag_CreateTheMailboxAndSetOnlyOurKeywords()
    {
        var messageId = $"<{Guid.NewGuid():N}@sender.test>";
        await using (var host = await StartAsync(("Gateway:Remediation:Jmap:Action", "MoveToQuarantine")))
        {
            var email = _server.Deliver("carol@jmap.test", messageId, 100);
            await host.RecordAsync(Record("carol@jmap.test", messageId, 100, "x1:q"));

            Assert.Equal(Summary(1, acted: 1), await host.HandleAsync(Events.Convicted("x1:q")));
            Assert.Equal(["Quarantine"], _server.Inspect("carol@jmap.test", email)!.Value.Mailboxes);
            Assert.Equal(Summary(1, acted: 1), await host.HandleAsync(Events.Reversed("x1:q")));
            Assert.Equal(["Inbox"], _server.Inspect("carol@jmap.test", email)!.Value.Mailboxes);
        }

        await using (var host = await StartAsync(("Gateway:Remediation:Jmap:Action", "Flag")))
        {
            var email = _server.Deliver("dan@jmap.test", messageId, 100);
            await host.RecordAsync(Record("dan@jmap.test", messageId, 100, "x1:f"));

            Assert.Equal(Summary(1, acted: 1), await host.HandleAsync(Events.Convicted("x1:f")));
            Assert.Equal(["$flagged", "$junk"], _server.Inspect("dan@jmap.test", email)!.Value.Keywords);
            Assert.Equal(Summary(1, acted: 1), await host.HandleAsync(Events.Reversed("x1:f")));
            Assert.Empty(_server.Inspect("dan@jmap.test", email)!.Value.Keywords);
        }
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task StoreDownThenUp_RetriedNothingLost()
    {
        await using var host = await StartAsync();
        var messageId = $"<{Guid.NewGuid():N}@sender.test>";
        var email = _server.Deliver("erin@jmap.test", messageId, 10);
        await host.RecordAsync(Record("erin@jmap.test", messageId, 10, "x1:down"));
        _server.Unavailable = true;

        Assert.Equal(Summary(1, failed: 1), await host.HandleAsync(Events.Convicted("x1:down")));
        Assert.Equal(["Inbox"], _server.Inspect("erin@jmap.test", email)!.Value.Mailboxes);

        _server.Unavailable = false;
        await RemediationHost.WaitUntilAsync(
            async () => await host.Queue.CountAsync() == 0, TimeSpan.FromSeconds(20), "the retried JMAP action");
        Assert.Equal(["Junk"], _server.Inspect("erin@jmap.test", email)!.Value.Mailboxes);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Session_ApiUrlOnAnotherOrigin_IsNotUsed()
    {
        await using var host = await StartAsync();
        _server.ApiUrlOverride = $"http://127.0.0.2:{FreePort.Next()}/jmap/api/";
        var messageId = $"<{Guid.NewGuid():N}@sender.test>";
        _server.Deliver("fay@jmap.test", messageId, 10);
        await host.RecordAsync(Record("fay@jmap.test", messageId, 10, "x1:rogue"));

        Assert.Equal(Summary(1, failed: 1), await host.HandleAsync(Events.Convicted("x1:rogue")));

        var entry = (await host.Queries.ListActionsAsync(new ListActionsRequest(), default)).Entries.First();
        Assert.Contains("origin", entry.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _server.ApiCalls);
    }

    private Task<RemediationHost> StartAsync(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Remediation:Jmap:SessionUrl"] = _server.SessionUrl,
            ["Gateway:Remediation:Jmap:LoginFormat"] = "{address}%admin",
            ["Gateway:Remediation:Jmap:PasswordFile"] = _passwordFile,
            ["Gateway:Remediation:Jmap:Timeout"] = "00:00:05",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return RemediationHost.StartAsync(settings);
    }

    private static DeliveryRecord Record(string recipient, string messageId, long size, params string[] fingerprints)
    {
        var record = new DeliveryRecord
        {
            QueueId = "q-" + Guid.NewGuid().ToString("N"),
            Recipient = recipient,
            Store = MailboxStoreKind.Jmap,
            Folder = "INBOX",
            MessageId = messageId,
            Size = size,
            DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        };
        record.Fingerprints.AddRange(fingerprints);
        return record;
    }

    private static RemediationSummary Summary(int found, int acted = 0, int failed = 0, int skipped = 0) => new()
    {
        CopiesFound = found,
        CopiesActed = acted,
        CopiesFailed = failed,
        CopiesSkipped = skipped,
    };
}
