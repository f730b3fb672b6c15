using Gateway.FingerprintFilter.Store;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Store;

/// <summary>Each node's in-memory copy over a shared (in-memory) store: two nodes, one store.</summary>
public sealed class HotFingerprintCacheTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly MemoryFingerprintStore _store;

    public HotFingerprintCacheTests() => _store = new MemoryFingerprintStore(_time);

    private static readonly byte[] Spam =
        TestMessages.Crlf(TestMessages.Bytes(TestMessages.Plain(TestMessages.CampaignBody(0))));

    private HotFingerprintCache Cache() =>
        new(_store, Options.Create(FingerprintFilterFactory.DefaultOptions()), _time);

    private FingerprintFilterService Node(HotFingerprintCache cache) =>
        FingerprintFilterFactory.Service(_store, new RecordingEventPublisher(), cache: cache, time: _time);

    private static ScanRequest Scan(byte[] message) => new() { QueueId = "Q", Message = ByteString.CopyFrom(message) };

    private static ReportRequest Report(byte[] message) =>
        new() { Kind = ReportKind.Spam, Message = ByteString.CopyFrom(message), Source = "admin" };

    [Fact]
    public async Task Scan_FreshCache_AnswersFromMemoryWithoutTheStore()
    {
        var cache = Cache();
        var node = Node(cache);
        await node.ReportAsync(Report(Spam), CancellationToken.None);
        await cache.ReloadAsync(CancellationToken.None);
        var lookups = _store.Lookups;

        var result = await node.ScanAsync(Scan(Spam), CancellationToken.None);

        Assert.True(cache.IsFresh);
        Assert.Equal(Gateway.V1.Action.Reject, result.Verdict.Action);
        Assert.Equal(lookups, _store.Lookups);
    }

    [Fact]
    public async Task Sync_ReportOnAnotherNode_ReachesThisNodesCopy()
    {
        var cacheA = Cache();
        var cacheB = Cache();
        await cacheA.ReloadAsync(CancellationToken.None);
        await cacheB.ReloadAsync(CancellationToken.None);
        var nodeB = Node(cacheB);

        await Node(cacheA).ReportAsync(Report(Spam), CancellationToken.None);
        var beforeSync = await nodeB.ScanAsync(Scan(Spam), CancellationToken.None);
        var applied = await cacheB.SyncAsync(CancellationToken.None);
        var lookups = _store.Lookups;
        var afterSync = await nodeB.ScanAsync(Scan(Spam), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Accept, beforeSync.Verdict.Action);
        Assert.True(applied > 30);
        Assert.Equal(Gateway.V1.Action.Reject, afterSync.Verdict.Action);
        Assert.Equal(lookups, _store.Lookups);
    }

    [Fact]
    public async Task Scan_CopyOlderThanMaxStaleness_GoesToTheStore()
    {
        var cache = Cache();
        var node = Node(cache);
        await cache.ReloadAsync(CancellationToken.None);
        await Node(Cache()).ReportAsync(Report(Spam), CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(16));
        var result = await node.ScanAsync(Scan(Spam), CancellationToken.None);

        Assert.False(cache.IsFresh);
        Assert.Equal(Gateway.V1.Action.Reject, result.Verdict.Action);
    }

    [Fact]
    public async Task Scan_StaleCopyAndStoreDown_TempFails()
    {
        var cache = Cache();
        await cache.ReloadAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        _store.Unavailable = true;

        var result = await Node(cache).ScanAsync(Scan(Spam), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Tempfail, result.Verdict.Action);
    }

    [Fact]
    public async Task Scan_FreshCopyAndStoreDown_StillAnswers()
    {
        var cache = Cache();
        var node = Node(cache);
        await node.ReportAsync(Report(Spam), CancellationToken.None);
        await cache.ReloadAsync(CancellationToken.None);
        _store.Unavailable = true;

        var result = await node.ScanAsync(Scan(Spam), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Reject, result.Verdict.Action);
    }

    [Fact]
    public async Task Lookup_ExpiredEntry_IsLeftOut()
    {
        var cache = Cache();
        var report = await Node(cache).ReportAsync(Report(Spam), CancellationToken.None);
        await cache.ReloadAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(31));

        Assert.Empty(cache.Lookup(report.Fingerprints));
    }

    [Fact]
    public void Apply_OlderVersion_NeverOverwritesANewerOne()
    {
        var cache = Cache();
        var now = _time.GetUtcNow();
        var newer = new FingerprintEntry("t1:1", FingerprintState.Ham, 0, 0, new Dictionary<string, long>(), now, now,
            now.AddDays(1), "admin", 9);

        cache.Apply([newer, newer with { Trusted = FingerprintState.Spam, Sequence = 3 }]);

        Assert.Equal(FingerprintState.Ham, cache.Lookup(["t1:1"])["t1:1"].Trusted);
    }
}
