using Gateway.ClusterCommon.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.ClusterCommon.Health;

/// <summary>Ready once the service's Kafka topics exist with room for its records and a broker answers.</summary>
public sealed class KafkaHealthCheck(KafkaTopicProvisioner provisioner) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problem = await provisioner.EnsureAsync(cancellationToken);
        return problem is null
            ? HealthCheckResult.Healthy($"{provisioner.Requirements.Count} topics")
            : HealthCheckResult.Unhealthy(problem);
    }
}
