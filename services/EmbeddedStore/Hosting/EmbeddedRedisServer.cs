using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Garnet.common;
using Garnet.server;
using Gateway.Common.Configuration;
using Gateway.Common.Redis;
using Gateway.EmbeddedStore.Configuration;
using Gateway.EmbeddedStore.Logging;
using Gateway.EmbeddedStore.Recovery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.EmbeddedStore.Hosting;

/// <summary>
/// Runs Microsoft Garnet in-process as the standalone gateway's Redis: bound to 127.0.0.1, state under
/// <c>&lt;DataDir&gt;/state</c>, every acknowledged write in the append-only file before the reply, and the
/// state recovered at start. Tiers reach it through the ordinary StackExchange.Redis connection.
/// </summary>
public sealed class EmbeddedRedisServer : IHostedService, IRedisEndpointSource, IDisposable
{
    // A port picked free can be taken by another process before Garnet binds it; a few retries absorb that.
    private const int MaxBindAttempts = 5;
    private const string LockFileName = "embedded-redis.lock";

    // Garnet blocks a pool thread while a session waits for its append-only-file commit or for a key locked
    // by a running Lua script. With the default floor (one thread per core) a burst of scripts on one key,
    // such as many connections from one client address, queues behind the pool's slow thread injection:
    // 60 such scripts took ~3 s on 2 cores, against ~10 ms with this floor. Threads are still created on demand.
    public const int MinThreadPoolThreads = 64;

    private readonly string _stateDir;
    private readonly int _configuredPort;
    private readonly ILogger _logger;
    private readonly GarnetLoggerFactory _garnetLoggers;
    private readonly Lock _gate = new();

    private CheckpointingGarnetServer? _server;
    private FileStream? _dirLock;
    private volatile IPEndPoint? _endPoint;
    private volatile bool _stopping;
    private WriteHealthWatchdog? _watchdog;

    public EmbeddedRedisServer(
        IOptions<GatewayOptions> gatewayOptions,
        IOptions<EmbeddedRedisOptions> options,
        ILoggerFactory loggerFactory)
    {
        _stateDir = Path.Combine(gatewayOptions.Value.FullDataDir, "state");
        _configuredPort = options.Value.EmbeddedPort;
        _logger = loggerFactory.CreateLogger<EmbeddedRedisServer>();
        _garnetLoggers = new GarnetLoggerFactory(loggerFactory, () => _stopping);
    }

    /// <summary>Where the checkpoints, the append-only file and spilled records live.</summary>
    public string StateDirectory => _stateDir;

    /// <summary>The address the server listens on; null until it has started and after it stopped.</summary>
    public IPEndPoint? EndPoint => _endPoint;

    /// <inheritdoc/>
    public string GetConfiguration()
    {
        var endPoint = _endPoint ?? throw new InvalidOperationException(
            "The embedded Redis-protocol server is not running: it must be registered (AddEmbeddedRedis) " +
            "before the services that use Redis, so that it starts first.");
        return endPoint.ToString();
    }

    /// <summary>
    /// Starts the server synchronously, recovery included, so that hosted services registered after this one
    /// find the store ready.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_server is not null)
            {
                throw new InvalidOperationException("The embedded Redis-protocol server is already running.");
            }

            var stopwatch = Stopwatch.StartNew();
            RaiseThreadPoolFloor();
            Directory.CreateDirectory(_stateDir);
            _dirLock = LockStateDirectory(_stateDir);
            try
            {
                _stopping = false;
                CloseUnfinishedTransactions();
                (_server, var port) = StartGarnet(cancellationToken);
                _endPoint = new IPEndPoint(IPAddress.Loopback, port);
            }
            catch
            {
                _dirLock.Dispose();
                _dirLock = null;
                throw;
            }

            EmbeddedStoreLog.Started(_logger, _endPoint.ToString(), _stateDir, stopwatch.ElapsedMilliseconds);
            _watchdog = new WriteHealthWatchdog(() => _endPoint, _stateDir, RestartAsync);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Replaces a server that stopped taking writes (an append-only-file commit failed) with a new one on the same
    /// port and directories, recovering from the checkpoint and the append-only file; clients reconnect by themselves.
    /// </summary>
    private Task RestartAsync()
    {
        lock (_gate)
        {
            if (_server is null || _stopping || _endPoint is not { } endPoint)
            {
                return Task.CompletedTask;
            }

            var stopwatch = Stopwatch.StartNew();
            EmbeddedStoreLog.Restarting(_logger, endPoint.ToString());
            _server.Dispose(deleteDir: false);
            _server = null;
            try
            {
                // The old server may have stopped in the middle of logging a transaction, as a killed process does.
                CloseUnfinishedTransactions();
            }
            catch (Exception ex)
            {
                _endPoint = null;
                EmbeddedStoreLog.RestartFailed(_logger, ex);
                throw;
            }

            for (var attempt = 1; ; attempt++)
            {
                var server = new CheckpointingGarnetServer(
                    GarnetSettings.Create(_stateDir, endPoint.Port, _garnetLoggers), _garnetLoggers);
                try
                {
                    server.Start();
                    _server = server;
                    break;
                }
                catch (Exception ex) when (attempt < MaxBindAttempts && ex is GarnetException or IOException)
                {
                    // The old listener may still hold the port for a moment.
                    server.Dispose(deleteDir: false);
                    Thread.Sleep(200 * attempt);
                }
                catch (Exception ex)
                {
                    server.Dispose(deleteDir: false);
                    _endPoint = null;
                    EmbeddedStoreLog.RestartFailed(_logger, ex);
                    throw;
                }
            }

            EmbeddedStoreLog.Restarted(_logger, endPoint.ToString(), stopwatch.ElapsedMilliseconds);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Commits the append-only file and takes a checkpoint, so the next start loads the checkpoint instead of
    /// replaying the whole file, then stops. Hosted services stop in reverse order, so the tiers registered
    /// after this one have finished writing by now.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        CheckpointingGarnetServer? server;
        lock (_gate)
        {
            server = _server;
            if (server is null)
            {
                return;
            }

            _stopping = true;
        }

        if (Interlocked.Exchange(ref _watchdog, null) is { } watchdog)
        {
            await watchdog.DisposeAsync().ConfigureAwait(false);
        }

        var stopwatch = Stopwatch.StartNew();
        EmbeddedStoreLog.Stopping(_logger);
        try
        {
            await server.Store.CommitAOFAsync(cancellationToken).ConfigureAwait(false);
            var status = await server.CheckpointAsync(cancellationToken).ConfigureAwait(false);
            if (status != CheckpointStatus.Success)
            {
                EmbeddedStoreLog.CheckpointNotTaken(_logger, status.ToString());
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or GarnetException or IOException)
        {
            // Nothing acknowledged is lost: each write was committed to the append-only file before its reply.
            EmbeddedStoreLog.ShutdownFailed(_logger, ex);
        }
        finally
        {
            Shutdown();
        }

        EmbeddedStoreLog.Stopped(_logger, stopwatch.ElapsedMilliseconds);
    }

    /// <summary>
    /// Stops without a checkpoint when <see cref="StopAsync"/> did not run (the host failed or was torn down);
    /// the append-only file already holds every acknowledged write.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_server is null)
            {
                return;
            }

            _stopping = true;
        }

        EmbeddedStoreLog.DisposedWithoutStop(_logger);
        Interlocked.Exchange(ref _watchdog, null)?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        Shutdown();
    }

    private (CheckpointingGarnetServer Server, int Port) StartGarnet(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var port = _configuredPort != 0 ? _configuredPort : PickFreePort();
            var server = new CheckpointingGarnetServer(
                GarnetSettings.Create(_stateDir, port, _garnetLoggers), _garnetLoggers);
            try
            {
                server.Start();
                return (server, port);
            }
            catch (GarnetException ex) when (_configuredPort == 0 && attempt < MaxBindAttempts && IsAddressInUse(ex))
            {
                server.Dispose(deleteDir: false);
                EmbeddedStoreLog.PortTaken(_logger, port, attempt);
            }
            catch (Exception ex)
            {
                server.Dispose(deleteDir: false);
                if (ex is GarnetException garnet && IsAddressInUse(garnet))
                {
                    throw;
                }

                // Garnet's own error (often just a stack trace from its replay) says nothing about where the
                // state lives or what an operator can do about it.
                var failure = new StoreRecoveryException(
                    $"The embedded store could not start on its state in {_stateDir}: {ex.Message.TrimEnd('.')}. " +
                    RecoveryAdvice(), ex);
                EmbeddedStoreLog.RecoveryFailed(_logger, failure.Message, ex);
                throw failure;
            }
        }
    }

    /// <summary>
    /// Closes the transactions a killed process left open at the end of the append-only file, so that
    /// Garnet's replay neither fails on them nor folds later records into them (see
    /// <see cref="UnfinishedTransactionRepair"/>). Runs before Garnet opens the file, while nothing else writes it.
    /// </summary>
    private void CloseUnfinishedTransactions()
    {
        var options = GarnetSettings.Create(_stateDir, port: 0, _garnetLoggers);
        IReadOnlyList<UnfinishedTransaction> closed;
        try
        {
            closed = UnfinishedTransactionRepair.CloseUnfinished(
                options, databaseId: 0, _garnetLoggers.CreateLogger("AofRepair"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failure = new StoreRecoveryException(
                (ex is StoreRecoveryException ? ex.Message : $"Reading the append-only file in {_stateDir} failed: " +
                    ex.Message.TrimEnd('.') + ".") + " " + RecoveryAdvice(), ex);
            EmbeddedStoreLog.RecoveryFailed(_logger, failure.Message, ex);
            throw failure;
        }

        if (closed.Count > 0)
        {
            EmbeddedStoreLog.UnfinishedTransactionsClosed(
                _logger,
                options.GetAppendOnlyFileDirectory(0),
                closed.Count,
                closed.Sum(t => t.Writes),
                string.Join(", ", closed.Take(20).Select(t => $"{t.SessionId}@{t.StartAddress}")));
        }
    }

    private string RecoveryAdvice() =>
        $"To start, move the directory {_stateDir} aside (the store then starts empty: sender reputation, " +
        "counters and leases build up again; the mail spool is kept elsewhere and is not affected), and keep the " +
        "moved copy for a bug report.";

    private void Shutdown()
    {
        lock (_gate)
        {
            _endPoint = null;

            // deleteDir: false. Garnet's parameterless Dispose may delete the data directories.
            _server?.Dispose(deleteDir: false);
            _server = null;
            _dirLock?.Dispose();
            _dirLock = null;
        }
    }

    private static void RaiseThreadPoolFloor()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < MinThreadPoolThreads || completionPorts < MinThreadPoolThreads)
        {
            ThreadPool.SetMinThreads(
                Math.Max(workers, MinThreadPoolThreads), Math.Max(completionPorts, MinThreadPoolThreads));
        }
    }

    private static bool IsAddressInUse(GarnetException ex) =>
        ex.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse };

    private static int PickFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Two processes replaying and appending to the same files would corrupt them; an exclusive lock on a file
    /// in the directory makes the second one fail at start with a clear message instead.
    /// </summary>
    private static FileStream LockStateDirectory(string stateDir)
    {
        var path = Path.Combine(stateDir, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"The embedded store directory {stateDir} is in use by another gateway process " +
                "(or another server in this one). Give each gateway its own Gateway:DataDir.", ex);
        }
    }
}
