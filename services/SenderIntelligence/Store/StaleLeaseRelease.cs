using Gateway.SenderIntelligence.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.SenderIntelligence.Store;

/// <summary>
/// At start, before the edge greets anyone: gives back the connection leases an earlier run of this node never
/// released (it was killed with sessions open), so their clients are not refused for a whole lease time. Leases of
/// this run are never touched, so sessions that open meanwhile are safe. A store that does not answer is only
/// logged: the leases then expire by themselves.
/// </summary>
public sealed class StaleLeaseRelease : IHostedService
{
    private static readonly TimeSpan MaxSweepTime = TimeSpan.FromSeconds(30);

    private readonly ISenderStore _store;
    private readonly ILogger<StaleLeaseRelease> _logger;

    public StaleLeaseRelease(ISenderStore store, ILogger<StaleLeaseRelease> logger)
    {
        _store = store;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(MaxSweepTime);
        try
        {
            var removed = await _store.ReleaseStaleLeasesAsync(timeout.Token).ConfigureAwait(false);
            if (removed > 0)
            {
                SenderIntelligenceLog.StaleLeasesReleased(_logger, removed);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SenderIntelligenceLog.StaleLeasesNotReleased(_logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
