using System.Diagnostics;
using Gateway.FingerprintFilter.Sharing;
using Gateway.FingerprintFilter.Store;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Store;

/// <summary>
/// The Redis stores against Garnet: every command they use (HINCRBYFLOAT, HSETNX, SADD/SMEMBERS, ZADD,
/// ZRANGEBYSCORE with LIMIT, ZREMRANGEBYRANK, SCAN, PUBLISH/SUBSCRIBE, EXPIRE) must mean the same there.
/// </summary>
[Collection(GarnetCollection.Name)]
public sealed class GarnetCompatibilityTests(GarnetFixture garnet)
{
    private static CancellationToken Token => CancellationToken.None;

    [Fact]
    public async Task Store_ReportsWeightsAndChangeLog_BehaveAsOnRedis()
    {
        using var redis = garnet.Connect();
        var store = FingerprintFilterFactory.RedisStore(redis);

        await store.ApplyReportAsync(Reports.ByUser("a", FingerprintState.Spam, 0.25, "t1:1", "f1:2"), Token);
        var again = await store.ApplyReportAsync(Reports.ByUser("a", FingerprintState.Spam, 0.25, "t1:1"), Token);
        await store.ApplyReportAsync(Reports.ByUser("b", FingerprintState.Spam, 0.5, "t1:1"), Token);
        var decision = await store.ApplyReportAsync(Reports.Trusted(FingerprintState.Spam, "t1:1"), Token);
        var changes = await store.ReadChangesAsync(0, 100, Token);
        var all = new List<FingerprintEntry>();
        await foreach (var page in store.ReadAllAsync(Token))
        {
            all.AddRange(page);
        }

        Assert.True(again.Duplicate);
        Assert.Equal(0.75, decision.After["t1:1"].SpamWeight, 6);
        Assert.Equal(FingerprintState.Spam, decision.After["t1:1"].Trusted);
        Assert.Equal(["user:a", "user:b"], decision.EarlierReporters.Select(r => r.Reporter).Order());
        Assert.Equal(4, changes.Watermark);
        Assert.Equal(["f1:2", "t1:1"], changes.Entries.Select(e => e.Fingerprint).Order(StringComparer.Ordinal));
        Assert.Equal(["f1:2", "t1:1"], all.Select(e => e.Fingerprint).Order(StringComparer.Ordinal));
        Assert.InRange((await redis.Database.KeyTimeToLiveAsync(redis.Key("fp", "t1:1")))!.Value,
            TimeSpan.FromDays(29), TimeSpan.FromDays(30));
    }

    [Fact]
    public async Task HotCache_ReportOnAnotherNode_ArrivesByPubSub()
    {
        using var nodeA = garnet.Connect();
        using var nodeB = garnet.Connect(nodeA.Key("").ToString());
        var options = FingerprintFilterFactory.DefaultOptions();
        options.HotCache.PollInterval = TimeSpan.FromSeconds(30);
        var storeB = FingerprintFilterFactory.RedisStore(nodeB, options);
        var cache = new HotFingerprintCache(storeB, Options.Create(options), TimeProvider.System);
        using var synchroniser = new HotCacheSynchronizer(
            cache, storeB, Options.Create(options), NullLogger<HotCacheSynchronizer>.Instance);
        await synchroniser.StartAsync(Token);
        var watch = Stopwatch.StartNew();
        while (!cache.IsFresh && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        await FingerprintFilterFactory.RedisStore(nodeA, options)
            .ApplyReportAsync(Reports.Trusted(FingerprintState.Spam, "t1:9"), Token);
        watch.Restart();
        while (cache.Lookup(["t1:9"]).Count == 0 && watch.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(20);
        }

        await synchroniser.StopAsync(Token);
        Assert.Single(cache.Lookup(["t1:9"]));
    }

    [Fact]
    public async Task FeedLog_AppendAndRead_KeepsOrderAndSequences()
    {
        using var redis = garnet.Connect();
        var options = Options.Create(FingerprintFilterFactory.DefaultOptions());
        var feed = new RedisFeedLog(redis, options, TimeProvider.System);

        for (var i = 0; i < 3; i++)
        {
            await feed.AppendAsync(new FingerprintEvent { EventId = "e" + i, Kind = FingerprintEventKind.Convicted },
                Token);
        }

        var page = await feed.ReadAsync(1, 10, Token);

        Assert.Equal(["e1", "e2"], page.Events.Select(e => e.EventId));
        Assert.Equal([2L, 3L], page.Events.Select(e => e.Sequence));
        Assert.Equal(3, page.Watermark);
    }
}
