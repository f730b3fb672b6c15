using Gateway.SenderIntelligence.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence.Dnsbl;

/// <summary>
/// Runs the RFC 5782 self-check of every zone before the gateway serves (so a zone that lists the whole world is
/// never used), then again every <see cref="DnsblOptions.SelfCheckInterval"/>.
/// </summary>
public sealed class DnsblSelfCheckService : IHostedService, IDisposable
{
    private readonly DnsblChecker _checker;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public DnsblSelfCheckService(DnsblChecker checker, IOptions<SenderIntelligenceOptions> options)
    {
        _checker = checker;
        _interval = options.Value.Global.Dnsbl.SelfCheckInterval;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_checker.Zones.Count == 0)
        {
            return;
        }

        await _checker.SelfCheckAsync(cancellationToken).ConfigureAwait(false);
        _loop = RepeatAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RepeatAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await _checker.SelfCheckAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
