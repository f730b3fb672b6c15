using Gateway.Common.Redis;
using Gateway.FingerprintFilter.Store;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.Testing;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Store;

/// <summary>The Redis store against a real server (GATEWAY_TEST_REDIS), each test under its own key prefix.</summary>
public sealed class RedisFingerprintStoreTests : IAsyncLifetime
{
    private static CancellationToken Token => CancellationToken.None;

    private const string First = "t1:00000000000000000000000000000001";
    private const string Second = "t1:00000000000000000000000000000002";
    private const string Image = "a1:0000000000000000000000000000000a";

    private RedisTestConnection? _redis;

    private RedisTestConnection Redis => _redis ?? throw new InvalidOperationException("not initialised");

    public Task InitializeAsync()
    {
        if (TestEnvironment.Get(TestEnvironment.RedisVariable) is not null)
        {
            _redis = new RedisTestConnection();
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Lookup_UnknownFingerprints_FindsNothing()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);

        var found = await store.LookupAsync([First, Second], Token);

        Assert.Empty(found);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ApplyReport_Trusted_WritesTheHashFieldsTtlAndOneChange()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var outcome = await store.ApplyReportAsync(Reports.Trusted(FingerprintState.Spam, First, Image), Token);

        Assert.Empty(outcome.Before);
        Assert.Equal(FingerprintState.Spam, outcome.After[First].Trusted);
        var key = Redis.Key("fp", First);
        Assert.Equal(Redis.Prefix + "fp:" + First, key.ToString());
        var fields = (await Redis.Database.HashGetAllAsync(key))
            .ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        Assert.Equal("spam", fields["trusted"]);
        Assert.Equal("1", fields["n:admin"]);
        Assert.Equal("1", fields["reports"]);
        Assert.Equal("admin", fields["source"]);
        Assert.Equal("spam", fields["standing"]);
        Assert.Equal("1", fields["confidence"]);
        Assert.Equal(fields["first_seen"], fields["last_seen"]);
        Assert.True(long.Parse(fields["first_seen"]) >= before.ToUnixTimeSeconds());
        Assert.Equal(
            long.Parse(fields["last_seen"]) + (long)TimeSpan.FromDays(30).TotalSeconds, long.Parse(fields["expires"]));
        var ttl = await Redis.Database.KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
        var changes = await store.ReadChangesAsync(0, 100, Token);
        Assert.Equal(1, changes.Watermark);
        Assert.Equal([Image, First], changes.Entries.Select(e => e.Fingerprint).Order(StringComparer.Ordinal));
        Assert.Equal(fields["seq"], changes.Watermark.ToString());
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ApplyReport_SameUserTwice_WeighsOnceAndSaysDuplicate()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);

        var first = await store.ApplyReportAsync(Reports.ByUser("a", FingerprintState.Spam, 0.25, First), Token);
        var again = await store.ApplyReportAsync(Reports.ByUser("a", FingerprintState.Spam, 0.25, First), Token);
        var other = await store.ApplyReportAsync(Reports.ByUser("b", FingerprintState.Spam, 0.5, First), Token);

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.False(other.Duplicate);
        var entry = other.After[First];
        Assert.Null(entry.Trusted);
        Assert.Equal(0.75, entry.SpamWeight, 6);
        var fields = (await Redis.Database.HashGetAllAsync(Redis.Key("fp", First)))
            .ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        Assert.Equal("pending", fields["standing"]);
        Assert.Equal("0.75", fields["confidence"]);
        Assert.Equal(3, entry.ReportsBySource["user"]);
        Assert.Equal("user:b", entry.LastSource);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ApplyReport_TrustedAfterUsers_ReturnsTheUsersOnceAndForgetsThem()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);
        await store.ApplyReportAsync(Reports.ByUser("a", FingerprintState.Spam, 0.2, First, Image), Token);
        await store.ApplyReportAsync(Reports.ByUser("b", FingerprintState.Ham, 0.2, First), Token);

        var decision = await store.ApplyReportAsync(Reports.Trusted(FingerprintState.Spam, First, Image), Token);
        var repeat = await store.ApplyReportAsync(Reports.Trusted(FingerprintState.Spam, First), Token);

        Assert.Equal(
            [new ReporterVerdict("user:a", FingerprintState.Spam), new ReporterVerdict("user:b", FingerprintState.Ham)],
            decision.EarlierReporters.OrderBy(r => r.Reporter));
        Assert.Empty(repeat.EarlierReporters);
        Assert.Equal(0.2, decision.After[First].SpamWeight, 6);
        Assert.Equal(FingerprintState.Spam, decision.After[First].Trusted);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ApplyReport_Ham_UsesTheReportsTtl()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);

        await store.ApplyReportAsync(Reports.Trusted(FingerprintState.Ham, First) with { Ttl = TimeSpan.FromHours(2) },
            Token);

        var ttl = await Redis.Database.KeyTimeToLiveAsync(Redis.Key("fp", First));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(2));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Get_UnknownFingerprint_ReturnsNull()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);

        Assert.Null(await store.GetAsync(First, Token));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Get_EntryWrittenByTheWalkingSkeleton_ReadsItsStateAsTrusted()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);
        await Redis.Database.HashSetAsync(Redis.Key("fp", First),
            [new("state", "spam"), new("reports", 2), new("first_seen", 1700000000), new("source", "admin")]);

        var entry = await store.GetAsync(First, Token);

        Assert.Equal(FingerprintState.Spam, entry?.Trusted);
        Assert.Equal(2, entry!.Reports);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Lookup_ManyFingerprints_AnswersAll()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);
        var many = Enumerable.Range(0, 300).Select(i => $"t1:{i:x32}").ToList();
        var even = many.Where((_, i) => i % 2 == 0).ToArray();
        await store.ApplyReportAsync(Reports.Trusted(FingerprintState.Spam, even), Token);

        var found = await store.LookupAsync(many, Token);

        Assert.Equal(150, found.Count);
        Assert.All(found.Keys, fp => Assert.Equal(0, many.IndexOf(fp) % 2));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ReadChanges_AfterWatermark_ReturnsOnlyLaterChangesInPages()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);
        await store.ApplyReportAsync(Reports.Trusted(FingerprintState.Spam, First), Token);
        var watermark = await store.CurrentWatermarkAsync(Token);
        for (var i = 0; i < 5; i++)
        {
            await store.ApplyReportAsync(Reports.Trusted(FingerprintState.Spam, $"t1:{i + 10:x32}"), Token);
        }

        var page = await store.ReadChangesAsync(watermark, 3, Token);
        var rest = await store.ReadChangesAsync(page.Watermark, 3, Token);
        var none = await store.ReadChangesAsync(rest.Watermark, 3, Token);

        Assert.Equal(3, page.Entries.Count);
        Assert.True(page.More);
        Assert.Equal(2, rest.Entries.Count);
        Assert.False(rest.More);
        Assert.Empty(none.Entries);
        Assert.Equal(watermark + 5, rest.Watermark);
        Assert.DoesNotContain(page.Entries.Concat(rest.Entries), e => e.Fingerprint == First);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ReadAll_ManyEntries_ReadsEachOnce()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);
        var many = Enumerable.Range(0, 1200).Select(i => $"f1:{i:x18}").ToArray();
        await store.ApplyReportAsync(Reports.Trusted(FingerprintState.Spam, many), Token);

        var read = new List<string>();
        await foreach (var page in store.ReadAllAsync(Token))
        {
            read.AddRange(page.Select(e => e.Fingerprint));
        }

        Assert.Equal(many.Order(), read.Order());
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Subscribe_ReportOnAnotherConnection_Notifies()
    {
        var listener = FingerprintFilterFactory.RedisStore(Redis);
        await using var otherNode = new RedisTestConnection(Redis.Prefix);
        var writer = FingerprintFilterFactory.RedisStore(otherNode);
        var notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await listener.SubscribeAsync(() => notified.TrySetResult(), Token);

        await writer.ApplyReportAsync(Reports.Trusted(FingerprintState.Spam, First), Token);

        await notified.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Lookup_RedisUnreachable_ThrowsStoreUnavailable()
    {
        using var unreachable = new RedisConnection(Options.Create(new RedisOptions
        {
            Configuration = $"127.0.0.1:{FreePort.Next()}," +
                "connectTimeout=300,syncTimeout=500,asyncTimeout=500,connectRetry=0",
        }));
        var store = FingerprintFilterFactory.RedisStore(unreachable);

        await Assert.ThrowsAsync<FingerprintStoreUnavailableException>(() =>
            store.LookupAsync([First], Token));
        await Assert.ThrowsAsync<FingerprintStoreUnavailableException>(() =>
            store.ApplyReportAsync(Reports.Trusted(FingerprintState.Spam, First), Token));
        await Assert.ThrowsAsync<FingerprintStoreUnavailableException>(() =>
            store.ReadChangesAsync(0, 10, Token));
    }
}
