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

        var found = await store.LookupAsync([First, Second], CancellationToken.None);

        Assert.Empty(found);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Report_Spam_WritesTheHashFieldsAndTtl()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var previous = await store.ReportAsync([First, Image], FingerprintState.Spam, "admin", CancellationToken.None);

        Assert.Equal([null, null], previous);
        var key = Redis.Key("fp", First);
        Assert.Equal(Redis.Prefix + "fp:" + First, key.ToString());
        var fields = (await Redis.Database.HashGetAllAsync(key))
            .ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        Assert.Equal("spam", fields["state"]);
        Assert.Equal("1", fields["reports"]);
        Assert.Equal("admin", fields["source"]);
        Assert.Equal(fields["first_seen"], fields["last_seen"]);
        Assert.True(long.Parse(fields["first_seen"]) >= before.ToUnixTimeSeconds());
        var ttl = await Redis.Database.KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Lookup_AfterReports_ReturnsEachState()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);
        await store.ReportAsync([First], FingerprintState.Spam, "admin", CancellationToken.None);
        await store.ReportAsync([Second], FingerprintState.Ham, "admin", CancellationToken.None);

        var found = await store.LookupAsync([First, Second, Image], CancellationToken.None);

        Assert.Equal(2, found.Count);
        Assert.Equal(FingerprintState.Spam, found[First]);
        Assert.Equal(FingerprintState.Ham, found[Second]);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Report_Twice_CountsReportsKeepsFirstSeenAndReturnsPreviousState()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);
        await store.ReportAsync([First], FingerprintState.Spam, "trap:a@example.test", CancellationToken.None);
        var firstRecord = await store.GetAsync(First, CancellationToken.None);

        var previous = await store.ReportAsync([First, Second], FingerprintState.Ham, "admin", CancellationToken.None);
        var record = await store.GetAsync(First, CancellationToken.None);

        Assert.Equal([FingerprintState.Spam, null], previous);
        Assert.NotNull(record);
        Assert.Equal(FingerprintState.Ham, record.State);
        Assert.Equal(2, record.Reports);
        Assert.Equal(firstRecord!.FirstSeen, record.FirstSeen);
        Assert.Equal("admin", record.Source);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Report_Ham_UsesHamTtl()
    {
        var options = FingerprintFilterFactory.DefaultOptions();
        options.HamTtl = TimeSpan.FromHours(2);
        var store = FingerprintFilterFactory.RedisStore(Redis, options);

        await store.ReportAsync([First], FingerprintState.Ham, "admin", CancellationToken.None);

        var ttl = await Redis.Database.KeyTimeToLiveAsync(Redis.Key("fp", First));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(2));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Get_UnknownFingerprint_ReturnsNull()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);

        Assert.Null(await store.GetAsync(First, CancellationToken.None));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Lookup_ManyFingerprints_AnswersAll()
    {
        var store = FingerprintFilterFactory.RedisStore(Redis);
        var many = Enumerable.Range(0, 300).Select(i => $"t1:{i:x32}").ToList();
        var even = many.Where((_, i) => i % 2 == 0).ToList();
        await store.ReportAsync(even, FingerprintState.Spam, "admin", CancellationToken.None);

        var found = await store.LookupAsync(many, CancellationToken.None);

        Assert.Equal(150, found.Count);
        Assert.All(found.Keys, fp => Assert.Equal(0, many.IndexOf(fp) % 2));
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
            store.LookupAsync([First], CancellationToken.None));
        await Assert.ThrowsAsync<FingerprintStoreUnavailableException>(() =>
            store.ReportAsync([First], FingerprintState.Spam, "admin", CancellationToken.None));
    }
}
