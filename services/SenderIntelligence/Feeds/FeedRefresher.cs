using System.Diagnostics;
using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.SenderIntelligence.Feeds;

/// <summary>
/// Loads every feed at start and again every <c>RefreshInterval</c>. A failed load keeps the feed's previous
/// table (a publisher's outage must not empty a block list) and is retried at the next interval.
/// </summary>
public sealed class FeedRefresher : BackgroundService
{
    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(30);

    private readonly FeedCatalog _catalog;
    private readonly FeedLoader _loader;
    private readonly SenderMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public FeedRefresher(
        FeedCatalog catalog, FeedLoader loader, SenderMetrics metrics, TimeProvider time, ILogger<FeedRefresher> logger)
    {
        _catalog = catalog;
        _loader = loader;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // First load before serving, bounded so an unreachable URL cannot hold up the start for long.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(StartupWait);
        await Task.WhenAll(_catalog.Feeds.Select(f => RefreshAsync(f, wait.Token))).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads one feed now if its source changed; returns true when a new table is in force.</summary>
    public async Task<bool> RefreshAsync(ReputationFeed feed, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var loaded = await _loader.LoadAsync(feed, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (loaded is not { } result)
            {
                _metrics.RecordFeedRefresh(feed.Name, "unchanged");
                return false;
            }

            feed.State = result.State;
            _metrics.RecordFeedRefresh(feed.Name, "loaded");
            _metrics.SetFeedEntries(feed.Name, result.Parsed.Entries);
            SenderIntelligenceLog.FeedLoaded(_logger, feed.Name, result.Parsed.Entries, result.Parsed.Table.RangeCount,
                result.Parsed.InvalidLines, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            foreach (var error in result.Parsed.Errors)
            {
                SenderIntelligenceLog.FeedInvalidLine(_logger, feed.Name, error);
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _metrics.RecordFeedRefresh(feed.Name, "failed");
            SenderIntelligenceLog.FeedFailed(_logger, feed.Name, feed.State.Entries, e);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_catalog.Feeds.Count == 0)
        {
            return;
        }

        await Task.WhenAll(_catalog.Feeds.Select(f => LoopAsync(f, stoppingToken))).ConfigureAwait(false);
    }

    private async Task LoopAsync(ReputationFeed feed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(feed.Options.RefreshInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RefreshAsync(feed, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
