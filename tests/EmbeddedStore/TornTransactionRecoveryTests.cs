using Gateway.EmbeddedStore.Recovery;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.EmbeddedStore.Tests;

/// <summary>
/// A process killed while Garnet logs a transaction (MULTI/EXEC, as RetroRemediation's cache runs them) leaves it
/// open at the end of the append-only file (start marker and writes on disk, no commit marker). Every later start
/// must recover by itself, keeping what was acknowledged and dropping the unfinished transaction.
/// </summary>
public sealed class TornTransactionRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private const string ClosedEvent = "EmbeddedRedisUnfinishedTransactionsClosed";

    private readonly TempDirectory _dataDir = new();

    public void Dispose() => _dataDir.Dispose();

    [Fact]
    public async Task UnfinishedTransactionAtTail_RestartedTwice_KeepsAcknowledgedWritesAndDropsIt()
    {
        var recorder = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(recorder));

        // 1. Acknowledged writes, then the process dies while logging a copy of the last transaction.
        var running = await EmbeddedServers.StartAsync(_dataDir.Path);
        await using (var redis = await EmbeddedServers.ConnectAsync(running))
        {
            var db = redis.GetDatabase();
            Assert.True(await db.StringSetAsync("acknowledged", "yes"));
            Assert.Equal(1, await IncrementInTransactionAsync(db, "first"));
        }

        running.Dispose();
        var session = AppendOnlyFileTail.AppendUnfinishedCopyOfLastTransaction(_dataDir.Path);

        // 2. First start: the unfinished transaction is closed. New sessions, whose ids restart from the same
        //    numbers as the dead process's, write plain keys and run transactions after it.
        const int Sessions = 8;
        var first = await EmbeddedServers.StartAsync(_dataDir.Path, loggers: loggers);
        var closed = Assert.Single(recorder.Entries, e => e.EventName == ClosedEvent);
        output.WriteLine(closed.Message);
        Assert.Equal(LogLevel.Warning, closed.Level);
        Assert.Contains($"{session}@", closed.Message, StringComparison.Ordinal);
        await using (var redis = await EmbeddedServers.ConnectAsync(first))
        {
            await AssertRecoveredAsync(redis.GetDatabase(), counter: 1);
        }

        var clients = await Task.WhenAll(
            Enumerable.Range(0, Sessions).Select(_ => EmbeddedServers.ConnectAsync(first)));
        for (var i = 0; i < Sessions; i++)
        {
            var db = clients[i].GetDatabase();
            Assert.True(await db.StringSetAsync($"plain-{i}", i));
            await IncrementInTransactionAsync(db, $"session-{i}");
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        // 3. Killed again (no shutdown checkpoint): the next start replays the whole file, across the closed
        //    transaction and the sessions that reused its id.
        first.Dispose();
        using var second = await EmbeddedServers.StartAsync(_dataDir.Path, loggers: loggers);
        await using (var redis = await EmbeddedServers.ConnectAsync(second))
        {
            var db = redis.GetDatabase();
            await AssertRecoveredAsync(db, counter: 1 + Sessions);
            Assert.Equal($"session-{Sessions - 1}", (string?)await db.StringGetAsync("last"));
            for (var i = 0; i < Sessions; i++)
            {
                Assert.Equal(i, (int)await db.StringGetAsync($"plain-{i}"));
            }
        }

        // Closed once, at the start that found it; nothing went wrong after.
        Assert.Single(recorder.Entries, e => e.EventName == ClosedEvent);
        Assert.DoesNotContain(recorder.Entries, e => e.Level >= LogLevel.Error);
        await second.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task CleanRestarts_NothingUnfinished_NothingClosed()
    {
        var recorder = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(recorder));
        for (var start = 0; start < 2; start++)
        {
            var server = await EmbeddedServers.StartAsync(_dataDir.Path, loggers: loggers);
            await using (var redis = await EmbeddedServers.ConnectAsync(server))
            {
                await IncrementInTransactionAsync(redis.GetDatabase(), "x");
            }

            // Disposed without a stop, so the next start replays the append-only file.
            server.Dispose();
        }

        using var last = await EmbeddedServers.StartAsync(_dataDir.Path, loggers: loggers);
        await using var check = await EmbeddedServers.ConnectAsync(last);
        Assert.Equal(2, (int)await check.GetDatabase().StringGetAsync("counter"));
        Assert.DoesNotContain(recorder.Entries, e => e.EventName == ClosedEvent);
        await last.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task NestedUnfinishedTransactions_LeftByAnOlderVersion_StartFailsNamingTheDirectoryAndTheFix()
    {
        var running = await EmbeddedServers.StartAsync(_dataDir.Path);
        await using (var redis = await EmbeddedServers.ConnectAsync(running))
        {
            await IncrementInTransactionAsync(redis.GetDatabase(), "x");
        }

        running.Dispose();

        // Twice: what an unrepaired file held after a restart reused the session id and was killed again.
        AppendOnlyFileTail.AppendUnfinishedCopyOfLastTransaction(_dataDir.Path, times: 2);
        using var server = EmbeddedServers.Create(_dataDir.Path);

        var error = await Assert.ThrowsAsync<StoreRecoveryException>(() => server.StartAsync(CancellationToken.None));

        output.WriteLine(error.Message);
        Assert.Contains(server.StateDirectory, error.Message, StringComparison.Ordinal);
        Assert.Contains("move the directory", error.Message, StringComparison.Ordinal);
        Assert.Null(server.EndPoint);
    }

    // Two writes in MULTI/EXEC: Garnet logs them as one group between a start and a commit marker.
    private static async Task<long> IncrementInTransactionAsync(IDatabase db, string last)
    {
        var transaction = db.CreateTransaction();
        var counter = transaction.StringIncrementAsync("counter");
        _ = transaction.StringSetAsync("last", last);
        Assert.True(await transaction.ExecuteAsync());
        return await counter;
    }

    private static async Task AssertRecoveredAsync(IDatabase db, int counter)
    {
        Assert.Equal("yes", (string?)await db.StringGetAsync("acknowledged"));

        // The unfinished copy would have incremented the counter once more had it been replayed.
        Assert.Equal(counter, (int)await db.StringGetAsync("counter"));
    }
}
