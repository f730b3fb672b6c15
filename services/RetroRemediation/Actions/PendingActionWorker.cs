using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.RetroRemediation.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.RetroRemediation.Actions;

/// <summary>
/// Works the durable pending list: every <c>Retry:PollInterval</c> it takes the actions that are due (retries
/// after back-off, and actions whose process died before finishing them) and hands them to the
/// <see cref="CopyActionRunner"/>. Runs from start-up, so what was pending before a restart is replayed.
/// Also shrinks the last pages of closed cache slots and refreshes the cache and pending-list gauges.
/// </summary>
public sealed class PendingActionWorker : BackgroundService
{
    /// <summary>Actions this process works on at once from the pending list (the store gates limit further).</summary>
    private const int MaxInFlight = 5000;

    private const int Batch = 500;

    private static readonly TimeSpan StatisticsInterval = TimeSpan.FromSeconds(15);

    private readonly PendingActionQueue _queue;
    private readonly CopyActionRunner _runner;
    private readonly DeliveredMailCache _cache;
    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PendingActionWorker> _logger;

    public PendingActionWorker(
        PendingActionQueue queue,
        CopyActionRunner runner,
        DeliveredMailCache cache,
        IOptions<RetroRemediationOptions> options,
        TimeProvider time,
        ILogger<PendingActionWorker> logger)
    {
        _queue = queue;
        _runner = runner;
        _cache = cache;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Takes the due actions once; returns how many were started.</summary>
    public async Task<int> PollOnceAsync()
    {
        var room = MaxInFlight - _runner.InFlight;
        if (room <= 0)
        {
            return 0;
        }

        var due = await _queue.DueAsync(_time.GetUtcNow(), Math.Min(Batch, room));
        var started = 0;
        foreach (var action in due)
        {
            if (_runner.TryBegin(action.CopyId))
            {
                // Not awaited: a slow store must not hold up the due actions of other stores.
                _ = Task.Run(() => _runner.RunClaimedAsync(action, hint: null));
                started++;
            }
        }

        if (started > 0)
        {
            ActionsLog.WorkerPicked(_logger, started);
        }

        return started;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextStatistics = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = _options.Value.Retry.PollInterval;
            try
            {
                await PollOnceAsync();
                if (_time.GetUtcNow() >= nextStatistics)
                {
                    nextStatistics = _time.GetUtcNow() + StatisticsInterval;
                    await MaintainAsync();
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException)
            {
                delay = TimeSpan.FromSeconds(5);
                ActionsLog.WorkerPollFailed(_logger, delay, ex);
            }

            try
            {
                await Task.Delay(delay, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task MaintainAsync()
    {
        try
        {
            RemediationMetrics.PendingActions(await _queue.CountAsync());
            await _cache.CompactClosedSlotsAsync();
            var statistics = await _cache.GetStatisticsAsync();
            RemediationMetrics.Cache(statistics.Copies, statistics.Bytes);
        }
        catch (RedisException ex)
        {
            ActionsLog.StatisticsFailed(_logger, ex);
        }
    }
}
