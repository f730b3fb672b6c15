using Gateway.ClusterCommon.Grpc;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.ClusterCommon.Health;

/// <summary>
/// Asks a tier this service calls for its gRPC health. Unhealthy when it does not serve, unless the service
/// fails open towards that tier: then the tier is optional and its absence is only "degraded".
/// </summary>
public sealed class TierHealthCheck(TierChannel channel) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly global::Grpc.Health.V1.Health.HealthClient _client = new(channel.Channel);

    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var notServing = channel.Options.FailOpen ? HealthStatus.Degraded : HealthStatus.Unhealthy;
        try
        {
            var reply = await _client.CheckAsync(
                new HealthCheckRequest(), deadline: DateTime.UtcNow + Timeout, cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving
                ? HealthCheckResult.Healthy($"{channel.Tier} serves at {channel.Options.Address}")
                : new HealthCheckResult(notServing, $"{channel.Tier} at {channel.Options.Address} says {reply.Status}");
        }
        catch (RpcException ex)
        {
            return new HealthCheckResult(
                notServing, $"{channel.Tier} at {channel.Options.Address} does not answer: {ex.StatusCode}");
        }
    }
}
