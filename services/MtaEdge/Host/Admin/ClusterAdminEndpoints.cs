using Gateway.AdminApi;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Host.Admin;

/// <summary>
/// The admin API gatewayctl speaks (services/AdminApi, the same endpoints as the standalone gateway) on the edge's
/// HTTP listener: reports go to the fingerprint filter over gRPC (remediation then follows through Kafka, so the
/// reply carries no remediation summary), lookups and the audit to retro-remediation, sender profiles and
/// decisions to sender intelligence, the queue from its index in Redis.
/// </summary>
public static class ClusterAdminEndpoints
{
    public static WebApplication MapClusterAdminApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AdminApiOptions>>().Value;
        var token = new BearerTokenCheck(options.CreateToken(
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClusterAdminEndpoints))));
        var guard = new BrowserRequestGuard(options.HasToken);
        var api = app.MapGroup("/api/v1").AddEndpointFilter(token.FilterAsync).AddEndpointFilter(guard.FilterAsync);

        api.MapMessageApi(options.MaxMessageBytes);
        api.MapSenderApi();
        api.MapRemediationApi();
        // The queue lives in Kafka topics; the index in Redis lists it (KafkaQueueAdministration).
        api.MapQueueApi();
        return app;
    }
}
