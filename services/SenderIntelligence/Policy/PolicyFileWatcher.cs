using Gateway.SenderIntelligence.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence.Policy;

/// <summary>
/// Reloads the policy file when it changes: file-system notifications for promptness, and a poll every
/// <see cref="LocalEditionOptions.PolicyPollInterval"/> because notifications are lost on some file systems
/// (network mounts, editors that replace the file through a rename).
/// </summary>
public sealed class PolicyFileWatcher : BackgroundService
{
    private readonly PolicyProvider _provider;
    private readonly TimeSpan _interval;

    public PolicyFileWatcher(PolicyProvider provider, IOptions<SenderIntelligenceOptions> options)
    {
        _provider = provider;
        _interval = options.Value.Local.PolicyPollInterval;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_provider.PolicyFile is not { } path)
        {
            return;
        }

        var changed = new SemaphoreSlim(0, 1);
        void Signal(object? sender, EventArgs e)
        {
            try
            {
                changed.Release();
            }
            catch (SemaphoreFullException)
            {
                // A reload is already pending.
            }
        }

        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName
                | NotifyFilters.CreationTime,
        };
        watcher.Changed += Signal;
        watcher.Created += Signal;
        watcher.Renamed += Signal;
        watcher.EnableRaisingEvents = true;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await changed.WaitAsync(_interval, stoppingToken).ConfigureAwait(false);
                // Editors write in several steps; let the writes settle before reading.
                await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _provider.Reload();
        }
    }
}
