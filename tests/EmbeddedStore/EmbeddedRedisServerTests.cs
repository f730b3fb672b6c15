using Gateway.EmbeddedStore.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Xunit;

namespace Gateway.EmbeddedStore.Tests;

public sealed class EmbeddedRedisServerTests : IDisposable
{
    private readonly TempDirectory _dataDir = new();

    public void Dispose() => _dataDir.Dispose();

    [Fact]
    public void GetConfiguration_BeforeStart_ThrowsWithRegistrationHint()
    {
        using var server = EmbeddedServers.Create(_dataDir.Path);

        var error = Assert.Throws<InvalidOperationException>(() => server.GetConfiguration());

        Assert.Contains("AddEmbeddedRedis", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PortZero_ListensOnLoopbackOnly()
    {
        using var server = await EmbeddedServers.StartAsync(_dataDir.Path);

        Assert.NotNull(server.EndPoint);
        Assert.Equal(System.Net.IPAddress.Loopback, server.EndPoint!.Address);
        Assert.NotEqual(0, server.EndPoint.Port);
        Assert.Equal($"127.0.0.1:{server.EndPoint.Port}", server.GetConfiguration());
        Assert.Equal(Path.Combine(_dataDir.Path, "state"), server.StateDirectory);
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        Assert.True(workers >= EmbeddedRedisServer.MinThreadPoolThreads);
        Assert.True(completionPorts >= EmbeddedRedisServer.MinThreadPoolThreads);

        await server.StopAsync(CancellationToken.None);
        Assert.Null(server.EndPoint);
        Assert.Throws<InvalidOperationException>(() => server.GetConfiguration());
    }

    [Fact]
    public async Task StartAsync_ConfiguredPort_ListensOnThatPort()
    {
        var port = Testing.FreePort.Next();

        using var server = await EmbeddedServers.StartAsync(_dataDir.Path, port);

        Assert.Equal(port, server.EndPoint!.Port);
        await using var redis = await EmbeddedServers.ConnectAsync(server);
        Assert.True(await redis.GetDatabase().PingAsync() >= TimeSpan.Zero);
        await server.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task SetThenGracefulRestart_ValueAndExpiryAreRecovered()
    {
        var first = await EmbeddedServers.StartAsync(_dataDir.Path);
        await using (var redis = await EmbeddedServers.ConnectAsync(first))
        {
            var db = redis.GetDatabase();
            Assert.True(await db.StringSetAsync("greeting", "hello"));
            Assert.True(await db.StringSetAsync("short-lived", "x", TimeSpan.FromMinutes(10)));
        }

        await first.StopAsync(CancellationToken.None);
        first.Dispose();

        // A graceful stop leaves a checkpoint behind.
        Assert.True(Directory.Exists(Path.Combine(_dataDir.Path, "state", "checkpoints", "Store")));

        using var second = await EmbeddedServers.StartAsync(_dataDir.Path);
        await using (var redis = await EmbeddedServers.ConnectAsync(second))
        {
            var db = redis.GetDatabase();
            Assert.Equal("hello", (string?)await db.StringGetAsync("greeting"));
            var ttl = await db.KeyTimeToLiveAsync("short-lived");
            Assert.NotNull(ttl);
            Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        }

        await second.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DisposeWithoutStop_NoCheckpoint_ValueRecoveredFromAppendOnlyFile()
    {
        var first = await EmbeddedServers.StartAsync(_dataDir.Path);
        await using (var redis = await EmbeddedServers.ConnectAsync(first))
        {
            var db = redis.GetDatabase();
            for (var i = 0; i < 50; i++)
            {
                await db.StringSetAsync("counter", i);
            }

            await db.SortedSetAddAsync("leases", "lease-1", 1000);
        }

        // No StopAsync: no AOF commit call, no checkpoint, as when the host is torn down.
        first.Dispose();
        Assert.False(Directory.Exists(Path.Combine(_dataDir.Path, "state", "checkpoints", "Store")));

        using var second = await EmbeddedServers.StartAsync(_dataDir.Path);
        await using (var redis = await EmbeddedServers.ConnectAsync(second))
        {
            var db = redis.GetDatabase();
            Assert.Equal(49, (int)await db.StringGetAsync("counter"));
            Assert.Equal(1000, await db.SortedSetScoreAsync("leases", "lease-1"));
        }

        await second.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task FilesCopiedWhileRunning_AsAfterSigkill_HoldEveryAcknowledgedWrite()
    {
        // What is on disk while the server runs is what a SIGKILL leaves behind: copy it at that moment
        // and start a second server on the copy.
        using var running = await EmbeddedServers.StartAsync(_dataDir.Path);
        await using (var redis = await EmbeddedServers.ConnectAsync(running))
        {
            var db = redis.GetDatabase();
            await db.StringSetAsync("acknowledged", "yes");
            await db.SortedSetAddAsync("set", [new SortedSetEntry("a", 1), new SortedSetEntry("b", 2)]);
        }

        using var copy = new TempDirectory();
        StateDirectory.Copy(running.StateDirectory, Path.Combine(copy.Path, "state"));

        using var recovered = await EmbeddedServers.StartAsync(copy.Path);
        await using (var redis = await EmbeddedServers.ConnectAsync(recovered))
        {
            var db = redis.GetDatabase();
            Assert.Equal("yes", (string?)await db.StringGetAsync("acknowledged"));
            Assert.Equal(2, await db.SortedSetLengthAsync("set"));
        }

        await recovered.StopAsync(CancellationToken.None);
        await running.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Eval_LuaScript_ReturnsResultAndWritesKeys()
    {
        using var server = await EmbeddedServers.StartAsync(_dataDir.Path);
        await using var redis = await EmbeddedServers.ConnectAsync(server);
        var db = redis.GetDatabase();

        var result = await db.ScriptEvaluateAsync(
            "redis.call('SET', KEYS[1], ARGV[1]); return {redis.call('GET', KEYS[1]), tonumber(ARGV[2]) * 2}",
            ["lua-key"],
            ["from-lua", 21]);

        var values = (RedisResult[])result!;
        Assert.Equal("from-lua", (string?)values[0]);
        Assert.Equal(42, (int)values[1]);
        Assert.Equal("from-lua", (string?)await db.StringGetAsync("lua-key"));
        await server.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Eval_ConcurrentReadModifyWriteScripts_LoseNoUpdate()
    {
        // Tiers rely on a script running atomically, as on Redis: a read-modify-write script run in parallel
        // from several connections (one connection is served in order) must never lose an update.
        const int Connections = 8;
        const int RunsPerConnection = 100;
        using var server = await EmbeddedServers.StartAsync(_dataDir.Path);
        var clients = await Task.WhenAll(
            Enumerable.Range(0, Connections).Select(_ => EmbeddedServers.ConnectAsync(server)));
        const string Script = "local v = tonumber(redis.call('GET', KEYS[1]) or '0'); " +
                              "redis.call('SET', KEYS[1], tostring(v + 1)); return v + 1";

        await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            var db = client.GetDatabase();
            await Task.WhenAll(
                Enumerable.Range(0, RunsPerConnection).Select(_ => db.ScriptEvaluateAsync(Script, ["rmw"])));
        })));

        Assert.Equal(Connections * RunsPerConnection, (int)await clients[0].GetDatabase().StringGetAsync("rmw"));
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await server.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task SortedSetCommands_ZaddZremrangebyscoreZcardPexpire_BehaveAsOnRedis()
    {
        using var server = await EmbeddedServers.StartAsync(_dataDir.Path);
        await using var redis = await EmbeddedServers.ConnectAsync(server);
        var db = redis.GetDatabase();

        Assert.Equal(3, await db.SortedSetAddAsync(
            "z", [new SortedSetEntry("old", 100), new SortedSetEntry("mid", 200), new SortedSetEntry("new", 300)]));
        Assert.Equal(2, await db.SortedSetRemoveRangeByScoreAsync("z", double.NegativeInfinity, 200));
        Assert.Equal(1, await db.SortedSetLengthAsync("z"));
        Assert.True(await db.KeyExpireAsync("z", TimeSpan.FromMilliseconds(1500)));
        var ttl = await db.KeyTimeToLiveAsync("z");
        Assert.InRange(ttl!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1500));

        // The key really goes once its time is up (bounded wait).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await db.KeyExistsAsync("z") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(await db.KeyExistsAsync("z"));
        Assert.Equal(0, await db.SortedSetLengthAsync("z"));
        await server.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_SecondServerOnSameDirectory_FailsNamingTheDirectory()
    {
        using var first = await EmbeddedServers.StartAsync(_dataDir.Path);
        using var second = EmbeddedServers.Create(_dataDir.Path);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => second.StartAsync(CancellationToken.None));

        Assert.Contains(first.StateDirectory, error.Message, StringComparison.Ordinal);
        Assert.Null(second.EndPoint);
        await first.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_ConfiguredPortTaken_FailsAndReleasesTheDirectory()
    {
        using var blocker = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((System.Net.IPEndPoint)blocker.LocalEndpoint).Port;
        using var server = EmbeddedServers.Create(_dataDir.Path, port);

        await Assert.ThrowsAnyAsync<Exception>(() => server.StartAsync(CancellationToken.None));

        // The failed start released its lock: another server can use the directory.
        blocker.Stop();
        using var next = await EmbeddedServers.StartAsync(_dataDir.Path);
        await next.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAndStop_GarnetInformationLogs_DoNotReachTheHost()
    {
        var recorder = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(
            builder => builder.AddProvider(recorder).SetMinimumLevel(LogLevel.Trace));

        var server = await EmbeddedServers.StartAsync(_dataDir.Path, loggers: loggers);
        await using (var redis = await EmbeddedServers.ConnectAsync(server))
        {
            await redis.GetDatabase().StringSetAsync("k", "v");
        }

        await server.StopAsync(CancellationToken.None);
        server.Dispose();

        Assert.DoesNotContain(recorder.Entries, e => e.Category.StartsWith("Garnet.", StringComparison.Ordinal)
                                                     && e.Level < LogLevel.Warning);
        Assert.DoesNotContain(recorder.Entries, e => e.Level >= LogLevel.Error);
        Assert.Contains(recorder.Entries, e => e.EventName == "EmbeddedRedisStarted");
        Assert.Contains(recorder.Entries, e => e.EventName == "EmbeddedRedisStopped");
    }
}
