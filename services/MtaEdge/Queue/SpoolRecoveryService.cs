using Microsoft.Extensions.Hosting;

namespace Gateway.MtaEdge.Queue;

/// <summary>
/// Recovers the spool while the host starts, so a spool that cannot be opened stops the start with
/// its error and the admin API sees the recovered queue from the first request.
/// </summary>
internal sealed class SpoolRecoveryService(FileMessageSpool spool) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => spool.EnsureRecoveredAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
