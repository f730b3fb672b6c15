using System.Text;
using Gateway.RetroRemediation.Stores.Webhook;
using Gateway.RetroRemediation.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Xunit;

namespace Gateway.RetroRemediation.Tests.Stores.Webhook;

/// <summary>The tier with a webhook store, against <see cref="WebhookReceiver"/> on 127.0.0.1.</summary>
public sealed class WebhookStoreAdapterTests : IAsyncLifetime
{
    private const string Secret = "a-shared-secret-of-some-length";

    private readonly WebhookReceiver _receiver = new(Encoding.UTF8.GetBytes(Secret));
    private readonly string _secretFile = Path.GetTempFileName();

    public async Task InitializeAsync() => await File.WriteAllTextAsync(_secretFile, Secret + "\n");

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        File.Delete(_secretFile);
    }

    [Fact]
    public void Signature_IsHmacSha256OfTimestampDotBody()
    {
        var body = Encoding.UTF8.GetBytes("{\"action\":\"move_to_junk\"}");

        var signature = WebhookSignature.Sign(Encoding.UTF8.GetBytes("key"), "1700000000", body);

        // HMAC-SHA256("key", "1700000000.{\"action\":\"move_to_junk\"}"), computed independently.
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("key"));
        var signed = Encoding.UTF8.GetBytes("1700000000." + "{\"action\":\"move_to_junk\"}");
        var expected = Convert.ToHexStringLower(hmac.ComputeHash(signed));
        Assert.Equal("v1=" + expected, signature);
        Assert.True(WebhookSignature.Verify(Encoding.UTF8.GetBytes("key"), "1700000000", body, signature));
        Assert.False(WebhookSignature.Verify(Encoding.UTF8.GetBytes("key"), "1700000001", body, signature));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ConvictAndUndo_SignedRequestsWithTheCopy()
    {
        await using var host = await StartAsync();
        var record = Record("ann@hook.test", "x1:wh");
        await host.RecordAsync(record);

        Assert.Equal(Summary(1, acted: 1), await host.HandleAsync(Events.Convicted("x1:wh")));
        Assert.Equal(Summary(1, acted: 1), await host.HandleAsync(Events.Reversed("x1:wh")));

        var requests = _receiver.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.True(r.SignatureValid));
        var (move, undo) = (requests[0].Request, requests[1].Request);
        Assert.Equal(
            ("move_to_junk", "Junk", "ann@hook.test", record.MessageId),
            (move.Action, move.TargetFolder, move.Mailbox, move.MessageId));
        Assert.Equal(("restore", "INBOX"), (undo.Action, undo.Folder));
        Assert.Equal(record.QueueId, move.QueueId);
        Assert.Equal(move.IdempotencyKey, requests[0].IdempotencyKey);
        var copy = Assert.Single((await host.FindAsync("x1:wh")).Copies);
        Assert.Equal(CopyState.Restored, copy.State);
        var entry = (await host.Queries.ListActionsAsync(new ListActionsRequest(), default)).Entries[1];
        Assert.Equal("webhook: moved by the store", entry.Detail);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ServerErrorsThenSuccess_RetriedWithinTheActionWithOneKey()
    {
        await using var host = await StartAsync();
        var calls = 0;
        _receiver.Respond = _ => Interlocked.Increment(ref calls) < 3 ? (500, "") : (200, "");
        await host.RecordAsync(Record("bob@hook.test", "x1:retry"));

        Assert.Equal(Summary(1, acted: 1), await host.HandleAsync(Events.Convicted("x1:retry")));

        var keys = _receiver.Requests.Select(r => r.IdempotencyKey).ToList();
        Assert.Equal(3, keys.Count);
        Assert.Single(keys.Distinct());
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task StoreDownThenUp_PendingUntilTheWebhookAnswers()
    {
        await using var host = await StartAsync();
        _receiver.Respond = _ => (503, "");
        await host.RecordAsync(Record("carol@hook.test", "x1:down"));

        Assert.Equal(Summary(1, failed: 1), await host.HandleAsync(Events.Convicted("x1:down")));
        Assert.Equal(1, await host.Queue.CountAsync());

        _receiver.Respond = _ => (200, """{"result":"done"}""");
        await RemediationHost.WaitUntilAsync(
            async () => await host.Queue.CountAsync() == 0, TimeSpan.FromSeconds(20), "the retried webhook action");
        Assert.Equal(CopyState.MovedToJunk, Assert.Single((await host.FindAsync("x1:down")).Copies).State);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task RefusedAndNotFound_AreFinal()
    {
        await using var host = await StartAsync();
        _receiver.Respond = r => r.Mailbox.StartsWith("gone", StringComparison.Ordinal)
            ? (200, """{"result":"not_found"}""")
            : (422, """{"error":"no such mailbox"}""");
        await host.RecordAsync(Record("gone@hook.test", "x1:final"));
        await host.RecordAsync(Record("odd@hook.test", "x1:final"));

        Assert.Equal(Summary(2, failed: 1, skipped: 1), await host.HandleAsync(Events.Convicted("x1:final")));

        var states = (await host.FindAsync("x1:final")).Copies.ToDictionary(c => c.Record.Recipient, c => c.State);
        Assert.Equal(CopyState.NotFound, states["gone@hook.test"]);
        Assert.Equal(CopyState.Failed, states["odd@hook.test"]);
        Assert.Equal(0, await host.Queue.CountAsync());
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task MaxConcurrency_LimitsRequestsInFlight()
    {
        await using var host = await StartAsync(("Gateway:Remediation:Webhook:MaxConcurrency", "2"));
        _receiver.Delay = TimeSpan.FromMilliseconds(300);
        for (var i = 0; i < 6; i++)
        {
            await host.RecordAsync(Record($"user{i}@hook.test", "x1:many"));
        }

        Assert.Equal(Summary(6, acted: 6), await host.HandleAsync(Events.Convicted("x1:many")));

        // Never more than the limit (how many overlap depends on scheduling, so the lower end is not asserted).
        Assert.InRange(_receiver.MaxInFlight, 1, 2);
    }

    private Task<RemediationHost> StartAsync(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Remediation:Webhook:Url"] = _receiver.Url,
            ["Gateway:Remediation:Webhook:SecretFile"] = _secretFile,
            ["Gateway:Remediation:Webhook:Timeout"] = "00:00:05",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return RemediationHost.StartAsync(settings);
    }

    private static DeliveryRecord Record(string recipient, params string[] fingerprints)
    {
        var record = new DeliveryRecord
        {
            QueueId = "q-" + Guid.NewGuid().ToString("N"),
            Recipient = recipient,
            Store = MailboxStoreKind.Webhook,
            Folder = "INBOX",
            MessageId = $"<{Guid.NewGuid():N}@sender.test>",
            Size = 321,
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
