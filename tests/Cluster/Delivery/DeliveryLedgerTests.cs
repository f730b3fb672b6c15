using Gateway.Common.Redis;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Queue.Kafka;
using Gateway.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Cluster.Tests.Delivery;

/// <summary>The delivery ledger against the test Redis: what makes a re-read queue record harmless.</summary>
public sealed class DeliveryLedgerTests : IDisposable
{
    private readonly RedisConnection _redis;
    private readonly string _queueId = "Q" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
    private readonly IOptions<KafkaDeliveryOptions> _options = Options.Create(new KafkaDeliveryOptions
    {
        OwnerTimeout = TimeSpan.FromSeconds(1),
        OwnerHeartbeat = TimeSpan.FromMilliseconds(200),
        ClaimTimeout = TimeSpan.FromSeconds(30),
    });

    public DeliveryLedgerTests()
    {
        _redis = new RedisConnection(Options.Create(new RedisOptions
        {
            Configuration = TestEnvironment.Get(TestEnvironment.RedisVariable) ?? "127.0.0.1:1",
            KeyPrefix = "gwt-ledger:",
        }));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Claim_FreshRecipient_IsClaimedOnceAndHeldForEveryoneElse()
    {
        var (ledger, owner) = await NewEdgeAsync();
        var (otherLedger, _) = await NewEdgeAsync();

        var claim = await ledger.ClaimAsync(_queueId, "Ann@example.test");
        Assert.Equal(DeliveryLedgerState.Claimed, claim.State);
        Assert.True(owner.IsActive(claim.Token));

        // A second reading of the same record, here or on another live edge, must wait.
        Assert.Equal(DeliveryLedgerState.Held, (await ledger.ClaimAsync(_queueId, "ann@example.test")).State);
        Assert.Equal(DeliveryLedgerState.Held, (await otherLedger.ClaimAsync(_queueId, "ann@example.test")).State);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task MarkDelivered_ThenClaimAgain_SaysDeliveredWithTheLocation()
    {
        var (ledger, owner) = await NewEdgeAsync();
        var claim = await ledger.ClaimAsync(_queueId, "ann@example.test");
        await ledger.MarkDeliveredAsync(claim, "/mail/ann/new/1");

        Assert.False(owner.IsActive(claim.Token));
        var again = await ledger.ClaimAsync(_queueId, "ann@example.test");
        Assert.Equal(DeliveryLedgerState.Delivered, again.State);
        Assert.Equal("/mail/ann/new/1", again.Location);
        var ttl = await _redis.Database.KeyTimeToLiveAsync(_redis.Key("dl", _queueId, "ann@example.test"));
        Assert.True(ttl > TimeSpan.Zero);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Release_AfterTemporaryFailure_LetsTheNextAttemptClaim()
    {
        var (ledger, _) = await NewEdgeAsync();
        var claim = await ledger.ClaimAsync(_queueId, "ann@example.test");
        await ledger.ReleaseAsync(claim);
        Assert.Equal(DeliveryLedgerState.Claimed, (await ledger.ClaimAsync(_queueId, "ann@example.test")).State);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task MarkFailed_IsFinal()
    {
        var (ledger, _) = await NewEdgeAsync();
        var claim = await ledger.ClaimAsync(_queueId, "ann@example.test");
        Assert.True(await ledger.MarkFailedAsync(claim));
        Assert.Equal(DeliveryLedgerState.Failed, (await ledger.ClaimAsync(_queueId, "ann@example.test")).State);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Claim_HolderStoppedHeartbeating_ExactlyOneEdgeTakesItOverAsOrphaned()
    {
        var (deadLedger, _) = await NewEdgeAsync();
        var claim = await deadLedger.ClaimAsync(_queueId, "ann@example.test");
        Assert.Equal(DeliveryLedgerState.Claimed, claim.State);

        // The dead edge's heartbeat expires (OwnerTimeout 1 s); three edges read the record at once.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var edges = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => NewEdgeAsync()));
        var claims = await Task.WhenAll(edges.Select(e => e.Ledger.ClaimAsync(_queueId, "ann@example.test")));

        Assert.Single(claims, c => c.State == DeliveryLedgerState.Orphaned);
        Assert.Equal(2, claims.Count(c => c.State == DeliveryLedgerState.Held));

        // The dead edge's claim is no longer its own: it cannot mark the recipient failed any more.
        Assert.False(await deadLedger.MarkFailedAsync(claim));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Claim_LeftByAnEarlierTryOfThisEdge_IsTakenOverAsOrphaned()
    {
        var (ledger, owner) = await NewEdgeAsync();
        var claim = await ledger.ClaimAsync(_queueId, "ann@example.test");

        // The handler threw after claiming (say Redis went away before the mark) and the record is retried.
        owner.Untrack(claim.Token);
        Assert.Equal(DeliveryLedgerState.Orphaned, (await ledger.ClaimAsync(_queueId, "ann@example.test")).State);
    }

    public void Dispose()
    {
        _redis.Dispose();
    }

    private async Task<(DeliveryLedger Ledger, DeliveryOwner Owner)> NewEdgeAsync()
    {
        var owner = new DeliveryOwner(_redis, _options, NullLogger<DeliveryOwner>.Instance);
        await owner.BeatAsync();
        var ledger = new DeliveryLedger(_redis, owner, _options, Options.Create(new DeliveryOptions()));
        return (ledger, owner);
    }
}
