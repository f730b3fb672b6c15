using System.Net;
using StackExchange.Redis;

namespace Gateway.EmbeddedStore.Hosting;

/// <summary>
/// Watches whether the embedded store still takes writes. Once an append-only-file commit fails (ENOSPC), Garnet
/// fails every later write even after room comes back; this probe notices (several failed writes in a row), waits
/// until the state directory can be written again, and then asks for an in-process restart, which recovers the
/// acknowledged state from the checkpoint and the append-only file on the same port.
/// </summary>
internal sealed class WriteHealthWatchdog : IAsyncDisposable
{
    private const int FailuresBeforeRestart = 3;
    private const int RoomProbeBytes = 1 << 20;
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private const string ProbeKey = "__gateway:embedded:write-probe";

    private readonly Func<IPEndPoint?> _endPoint;
    private readonly string _stateDir;
    private readonly Func<Task> _restart;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public WriteHealthWatchdog(Func<IPEndPoint?> endPoint, string stateDir, Func<Task> restart)
    {
        _endPoint = endPoint;
        _stateDir = stateDir;
        _restart = restart;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        ConnectionMultiplexer? connection = null;
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(ProbeInterval, cancellationToken).ConfigureAwait(false);
                if (_endPoint() is not { } endPoint)
                {
                    continue;
                }

                try
                {
                    connection ??= await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
                    {
                        EndPoints = { endPoint },
                        AbortOnConnectFail = false,
                        ConnectTimeout = (int)ProbeTimeout.TotalMilliseconds,
                        SyncTimeout = (int)ProbeTimeout.TotalMilliseconds,
                        AsyncTimeout = (int)ProbeTimeout.TotalMilliseconds,
                        ClientName = "gateway-embedded-watchdog",
                    }).ConfigureAwait(false);
                    await connection.GetDatabase().StringSetAsync(ProbeKey, DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                        TimeSpan.FromMinutes(1)).WaitAsync(ProbeTimeout, cancellationToken).ConfigureAwait(false);
                    failures = 0;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    failures++;
                }

                if (failures >= FailuresBeforeRestart && HasRoom())
                {
                    connection?.Dispose();
                    connection = null;
                    try
                    {
                        await _restart().ConfigureAwait(false);
                        failures = 0;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // The server logged why; the next probe tries again.
                    }
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>Whether a megabyte can be written to the state directory again.</summary>
    private bool HasRoom()
    {
        var path = Path.Combine(_stateDir, "room-probe.tmp");
        try
        {
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096,
                       FileOptions.WriteThrough))
            {
                file.Write(new byte[RoomProbeBytes]);
                file.Flush(flushToDisk: true);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left behind; the next probe overwrites it.
            }
        }
    }
}
