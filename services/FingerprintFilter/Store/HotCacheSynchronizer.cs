using Gateway.FingerprintFilter.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// Keeps <see cref="HotFingerprintCache"/> current: a full load at start and every FullReloadInterval,
/// and in between a read of the change log whenever another node announces a change (Redis pub/sub)
/// and at least every PollInterval, so a lost notification costs at most one interval. While the
/// store is unreachable the copy ages, and once older than MaxStaleness scans stop trusting it.
/// </summary>
public sealed class HotCacheSynchronizer : BackgroundService
{
    private readonly HotFingerprintCache _cache;
    private readonly IFingerprintStore _store;
    private readonly HotCacheOptions _options;
    private readonly ILogger<HotCacheSynchronizer> _logger;
    private readonly SemaphoreSlim _changed = new(0, 1);

    public HotCacheSynchronizer(
        HotFingerprintCache cache,
        IFingerprintStore store,
        IOptions<FingerprintFilterOptions> options,
        ILogger<HotCacheSynchronizer> logger)
    {
        _cache = cache;
        _store = store;
        _options = options.Value.HotCache;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        IAsyncDisposable? subscription = null;
        var failing = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    subscription ??= await _store.SubscribeAsync(Signal, stoppingToken);
                    if (_cache.ReloadDue)
                    {
                        await _cache.ReloadAsync(stoppingToken);
                        FingerprintFilterLog.CacheReloaded(_logger, _cache.Count, _cache.Watermark);
                    }
                    else
                    {
                        await _cache.SyncAsync(stoppingToken);
                    }

                    if (failing)
                    {
                        FingerprintFilterLog.CacheRecovered(_logger, _cache.Watermark);
                        failing = false;
                    }
                }
                catch (Exception ex)
                    when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    if (!failing)
                    {
                        FingerprintFilterLog.CacheSyncFailed(_logger, ex);
                        failing = true;
                    }
                }

                await WaitAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            if (subscription is not null)
            {
                await subscription.DisposeAsync();
            }
        }
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending; one read picks up every change.
        }
    }

    private async Task WaitAsync(CancellationToken stoppingToken)
    {
        await _changed.WaitAsync(_options.PollInterval, stoppingToken);
    }
}
