using Gateway.AdminApi;
using Gateway.MtaEdge.Queue;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Host.Admin;

/// <summary>
/// The admin API gatewayctl speaks (services/AdminApi, the same endpoints as the standalone gateway) on the edge's
/// HTTP listener: reports go to the fingerprint filter over gRPC (remediation then follows through Kafka, so the
/// reply carries no remediation summary), lookups and the audit to retro-remediation, sender profiles and
/// decisions to sender intelligence, the queue from Kafka.
/// </summary>
public static class ClusterAdminEndpoints
{
    public static WebApplication MapClusterAdminApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AdminApiOptions>>().Value;
        var token = new BearerTokenCheck(options.CreateToken());
        var guard = new BrowserRequestGuard(options.HasToken);
        var api = app.MapGroup("/api/v1").AddEndpointFilter(token.FilterAsync).AddEndpointFilter(guard.FilterAsync);

        api.MapMessageApi(options.MaxMessageBytes);
        api.MapSenderApi();
        api.MapRemediationApi();
        // The queue lives in Kafka topics: totals only, in the standalone listing's shape (no per-message rows, no
        // counts by state), so gatewayctl queue reads both.
        api.MapGet("/queue", async (IQueueInspector queue, CancellationToken cancellationToken) =>
            AdminResults.Json(new V1.QueueListing { Status = await Task.Run(queue.GetStatus, cancellationToken) }));
        return app;
    }
}
