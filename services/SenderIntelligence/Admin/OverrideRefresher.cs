using Gateway.SenderIntelligence.Checks;
using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Policy;
using Gateway.V1;
using Microsoft.Extensions.Hosting;

namespace Gateway.SenderIntelligence.Admin;

/// <summary>
/// Keeps the in-memory administrator decisions in step with the store (decisions taken on other nodes), and ends
/// decisions whose date has passed: removed from the store and recorded in the subject's history, by exactly one
/// node (the removal only happens if the stored decision is still the expired one).
/// </summary>
public sealed class OverrideRefresher : BackgroundService
{
    private readonly SenderCheckContext _context;

    public OverrideRefresher(SenderCheckContext context)
    {
        _context = context;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Load before serving, so that a block is in force from the first connection; a store that does not
        // answer yet is retried by the loop.
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads every decision from the store and ends the expired ones.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stored = await _context.WaitAsync(() => _context.Store.ReadOverridesAsync(), cancellationToken)
                .ConfigureAwait(false);
            _context.Overrides.Load(stored);
            var now = _context.Time.GetUtcNow();
            foreach (var expired in _context.Overrides.Expired(now))
            {
                var entry = expired.Entry;
                var reason = (entry.Tier == SenderTier.Trusted ? "approval" : "block") + $" ended at {entry.Until:u}";
                var after = expired.Subject.Kind == Subjects.SubjectKind.Address ? SenderTier.Probation
                    : SenderTier.Unspecified;
                var record = new TierChangeRecord(now, entry.Tier, after, TierChangeRecord.Dynamic, reason);
                if (await _context.WaitAsync(
                        () => _context.Store.SetOverrideAsync(expired.Subject, null, record.Encode(), entry.Encode()),
                        cancellationToken).ConfigureAwait(false))
                {
                    _context.Metrics.RecordTransition(entry.Tier, after, "expired");
                    SenderIntelligenceLog.TierChanged(_context.Logger, expired.Subject.Canonical,
                        TierNames.Name(entry.Tier), TierNames.Name(after), record.By, reason);
                }

                _context.Overrides.Apply(expired.Subject, null);
            }
        }
        catch (Exception ex) when (SenderCheckContext.IsStoreFailure(ex))
        {
            _context.Metrics.RecordStoreFailure("overrides");
            SenderIntelligenceLog.OverridesRefreshFailed(_context.Logger, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_context.Options.Local.OverrideRefreshInterval, _context.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
