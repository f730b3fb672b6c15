using Gateway.Common.Redis;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Leases;
using Gateway.SenderIntelligence.Tests.Support;
using Gateway.V1;
using StackExchange.Redis;
using Xunit;
using Action = Gateway.V1.Action;

namespace Gateway.SenderIntelligence.Tests.Leases;

/// <summary>
/// The concurrency limit against a real Redis-protocol server. Each backend (embedded Garnet, redis-server)
/// runs the same scenarios from its own test class; every scenario works under a key prefix of its own.
/// </summary>
public abstract class ConnectionLimitScenarios : IDisposable
{
    private readonly string _configuration;
    private readonly List<RedisConnection> _connections = new();

    protected ConnectionLimitScenarios(string configuration)
    {
        _configuration = configuration;
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    protected async Task UnderLimitAcceptsWithExpiringLeaseAsync()
    {
        var (harness, store) = Create(new SenderIntelligenceOptions
        {
            MaxConnectionsPerIp = 3,
            ConnectionLeaseTime = TimeSpan.FromMinutes(30),
        });

        var decision = await harness.Service.CheckConnectAsync(Requests.Connect("203.0.113.10"), default);

        Assert.Equal(Action.Accept, decision.Verdict.Action);
        Assert.Equal("within-limits", decision.Verdict.Reason);
        Assert.Matches("^[0-9a-f]{32}$", decision.LeaseId);
        var key = store.KeyFor(System.Net.IPAddress.Parse("203.0.113.10"));
        var db = _connections[^1].Database;
        Assert.Equal(1, await db.SortedSetLengthAsync(key));
        Assert.NotNull(await db.SortedSetScoreAsync(key, decision.LeaseId));
        var ttl = await db.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
    }

    protected async Task LimitReachedTempfails421Async()
    {
        var (harness, _) = Create(new SenderIntelligenceOptions { MaxConnectionsPerIp = 3 });

        for (var i = 0; i < 3; i++)
        {
            var accepted = await harness.Service.CheckConnectAsync(Requests.Connect("203.0.113.20"), default);
            Assert.Equal(Action.Accept, accepted.Verdict.Action);
        }

        var refused = await harness.Service.CheckConnectAsync(Requests.Connect("203.0.113.20"), default);

        Assert.Equal(Action.Tempfail, refused.Verdict.Action);
        Assert.Equal(421, refused.Verdict.SmtpCode);
        Assert.Equal("4.7.0", refused.Verdict.EnhancedCode);
        Assert.Equal("Too many concurrent connections from 203.0.113.20", refused.Verdict.Text);
        Assert.Equal("concurrency", refused.Verdict.Reason);
        Assert.Empty(refused.LeaseId);
        Assert.Equal(3, harness.Metrics.DecisionCount(Action.Accept, "within-limits"));
        Assert.Equal(1, harness.Metrics.DecisionCount(Action.Tempfail, "concurrency"));
        Assert.True(harness.Log.Has("SenderConcurrencyLimit"));

        // Another address has its own count.
        var other = await harness.Service.CheckConnectAsync(Requests.Connect("203.0.113.21"), default);
        Assert.Equal(Action.Accept, other.Verdict.Action);
    }

    protected async Task ReleaseFreesASlotAsync()
    {
        var (harness, _) = Create(new SenderIntelligenceOptions { MaxConnectionsPerIp = 1 });
        var first = await harness.Service.CheckConnectAsync(Requests.Connect("2001:db8::30"), default);
        var second = await harness.Service.CheckConnectAsync(Requests.Connect("2001:db8::30"), default);
        Assert.Equal(Action.Accept, first.Verdict.Action);
        Assert.Equal(Action.Tempfail, second.Verdict.Action);

        await harness.Service.ReleaseConnectionAsync(Requests.Release("2001:db8::30", first.LeaseId), default);
        var third = await harness.Service.CheckConnectAsync(Requests.Connect("2001:db8::30"), default);

        Assert.Equal(Action.Accept, third.Verdict.Action);
        Assert.NotEqual(first.LeaseId, third.LeaseId);
        Assert.True(harness.Log.Has("SenderLeaseReleased"));
    }

    protected async Task ExpiredLeasesAreDroppedAsync()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var (harness, store) = Create(
            new SenderIntelligenceOptions { MaxConnectionsPerIp = 2, ConnectionLeaseTime = TimeSpan.FromMinutes(30) },
            clock);

        // Two sessions whose edge crashed: never released.
        await harness.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"), default);
        await harness.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"), default);
        clock.Advance(TimeSpan.FromMinutes(29));
        var stillHeld = await harness.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"), default);
        Assert.Equal(Action.Tempfail, stillHeld.Verdict.Action);

        clock.Advance(TimeSpan.FromMinutes(2));
        var afterExpiry = await harness.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"), default);

        Assert.Equal(Action.Accept, afterExpiry.Verdict.Action);
        var key = store.KeyFor(System.Net.IPAddress.Parse("203.0.113.40"));
        var members = await _connections[^1].Database.SortedSetRangeByRankAsync(key);
        Assert.Equal([afterExpiry.LeaseId], members.Select(m => m.ToString()));
    }

    protected async Task MappedAndPlainIPv4ShareOneCountAsync()
    {
        var (harness, _) = Create(new SenderIntelligenceOptions { MaxConnectionsPerIp = 1 });

        var plain = await harness.Service.CheckConnectAsync(Requests.Connect("203.0.113.50"), default);
        var mapped = await harness.Service.CheckConnectAsync(Requests.Connect("::ffff:203.0.113.50"), default);

        Assert.Equal(Action.Accept, plain.Verdict.Action);
        Assert.Equal(Action.Tempfail, mapped.Verdict.Action);
        Assert.Equal("Too many concurrent connections from 203.0.113.50", mapped.Verdict.Text);
    }

    protected async Task ConcurrentChecksFromSeveralEdgesNeverExceedLimitAsync()
    {
        // Four "edges", each with its own connection, race for one address: the script must be atomic.
        const int Limit = 5;
        const int Edges = 4;
        const int AttemptsPerEdge = 15;
        var prefix = $"test:{Guid.NewGuid():N}:";
        // A generous timeout and no fail-open: a slow machine must not turn this into a test of timeouts.
        var options = new SenderIntelligenceOptions
        {
            MaxConnectionsPerIp = Limit,
            FailOpen = false,
            StoreTimeout = TimeSpan.FromSeconds(30),
        };
        var edges = Enumerable.Range(0, Edges).Select(_ => Create(options, prefix: prefix).Harness).ToList();

        // Edges connect long before clients arrive: open every connection first, so the race is about the
        // script and not about four multiplexers connecting at once.
        foreach (var connection in _connections)
        {
            await connection.Database.PingAsync();
        }

        var decisions = await Task.WhenAll(edges.SelectMany(edge => Enumerable.Range(0, AttemptsPerEdge)
            .Select(_ => Task.Run(() => edge.Service.CheckConnectAsync(Requests.Connect("203.0.113.60"), default)))));

        var outcomes = decisions.GroupBy(d => d.Verdict.Reason).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}={g.Count()}");
        Assert.Equal(
            $"concurrency={(Edges * AttemptsPerEdge) - Limit},within-limits={Limit}", string.Join(",", outcomes));
        Assert.Equal(Limit, decisions.Select(d => d.LeaseId).Where(id => id.Length > 0).Distinct().Count());
    }

    protected async Task AllowListedClientTakesNoLeaseAsync()
    {
        var (harness, store) = Create(new SenderIntelligenceOptions { AllowList = ["203.0.113.0/28"] });

        var decision = await harness.Service.CheckConnectAsync(Requests.Connect("203.0.113.7"), default);

        Assert.True(decision.AllowListed);
        Assert.False(await _connections[^1].Database.KeyExistsAsync(
            store.KeyFor(System.Net.IPAddress.Parse("203.0.113.7"))));
    }

    private (SenderHarness Harness, RedisConnectionLeaseStore Store) Create(
        SenderIntelligenceOptions options, TimeProvider? time = null, string? prefix = null)
    {
        var connection = prefix is null
            ? SenderHarness.Connect(_configuration)
            : new RedisConnection(Microsoft.Extensions.Options.Options.Create(
                new RedisOptions { Configuration = _configuration, KeyPrefix = prefix }));
        _connections.Add(connection);
        var store = new RedisConnectionLeaseStore(connection);
        return (new SenderHarness(options, store, time), store);
    }
}
