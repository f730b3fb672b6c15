using System.Diagnostics;
using Gateway.FingerprintFilter.Store;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.FingerprintFilter.Tests.Store;

/// <summary>Two nodes on one Redis: a report on one is in the other's memory within seconds.</summary>
public sealed class HotCacheRedisTests(ITestOutputHelper output)
{
    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ReportOnNodeA_NodeBsSynchroniser_SeesItWithinTwoSeconds()
    {
        await using var redisA = new RedisTestConnection();
        await using var redisB = new RedisTestConnection(redisA.Prefix);
        var options = FingerprintFilterFactory.DefaultOptions();
        options.HotCache.PollInterval = TimeSpan.FromSeconds(30);  // only the pub/sub wake-up can be this quick
        var storeB = FingerprintFilterFactory.RedisStore(redisB, options);
        var cacheB = new HotFingerprintCache(storeB, Options.Create(options), TimeProvider.System);
        using var synchroniser = new HotCacheSynchronizer(
            cacheB, storeB, Options.Create(options), NullLogger<HotCacheSynchronizer>.Instance);
        var nodeA = FingerprintFilterFactory.Service(
            FingerprintFilterFactory.RedisStore(redisA, options), new RecordingEventPublisher(), options);
        var nodeB = FingerprintFilterFactory.Service(storeB, new RecordingEventPublisher(), options, cache: cacheB);
        var spam = TestMessages.Crlf(TestMessages.Bytes(TestMessages.Plain(TestMessages.CampaignBody(0))));

        await synchroniser.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => cacheB.IsFresh, TimeSpan.FromSeconds(10));
        var report = await nodeA.ReportAsync(
            new ReportRequest { Kind = ReportKind.Spam, Message = ByteString.CopyFrom(spam), Source = "admin" },
            CancellationToken.None);
        var watch = Stopwatch.StartNew();
        await WaitUntilAsync(() => cacheB.Lookup(report.Fingerprints).Count == report.Fingerprints.Count,
            TimeSpan.FromSeconds(2));
        var elapsed = watch.Elapsed;
        var scan = await nodeB.ScanAsync(
            new ScanRequest { QueueId = "Q", Message = ByteString.CopyFrom(spam) }, CancellationToken.None);
        await synchroniser.StopAsync(CancellationToken.None);

        output.WriteLine($"node B had the report in memory {elapsed.TotalMilliseconds:0} ms after node A learned it");
        Assert.True(cacheB.IsFresh);
        Assert.Equal(Gateway.V1.Action.Reject, scan.Verdict.Action);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Reload_ThenSync_MatchesTheStore()
    {
        await using var redis = new RedisTestConnection();
        var options = FingerprintFilterFactory.DefaultOptions();
        var store = FingerprintFilterFactory.RedisStore(redis, options);
        await store.ApplyReportAsync(Reports.Trusted(FingerprintState.Spam, "t1:1", "t1:2"), CancellationToken.None);
        var cache = new HotFingerprintCache(store, Options.Create(options), TimeProvider.System);

        await cache.ReloadAsync(CancellationToken.None);
        await store.ApplyReportAsync(Reports.Trusted(FingerprintState.Ham, "t1:2", "t1:3"), CancellationToken.None);
        await cache.SyncAsync(CancellationToken.None);

        var known = cache.Lookup(["t1:1", "t1:2", "t1:3", "t1:4"]);
        Assert.Equal(3, known.Count);
        Assert.Equal(FingerprintState.Spam, known["t1:1"].Trusted);
        Assert.Equal(FingerprintState.Ham, known["t1:2"].Trusted);
        Assert.Equal(await store.CurrentWatermarkAsync(CancellationToken.None), cache.Watermark);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < limit, $"not within {limit.TotalSeconds} s");
            await Task.Delay(20);
        }
    }
}
