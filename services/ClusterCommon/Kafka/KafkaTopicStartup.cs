using Microsoft.Extensions.Hosting;

namespace Gateway.ClusterCommon.Kafka;

/// <summary>
/// Provisions the topics as soon as the service starts, in the background, retrying until it works, so
/// consumers find their topics early; start-up itself never waits for Kafka.
/// </summary>
internal sealed class KafkaTopicStartup(KafkaTopicProvisioner provisioner) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested && !provisioner.IsReady)
        {
            await Task.Run(() => provisioner.EnsureAsync(stoppingToken), stoppingToken);
            if (provisioner.IsReady)
            {
                return;
            }

            await Task.Delay(delay, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }
}
