using Gateway.AdminApi;
using Microsoft.Extensions.Options;

namespace Gateway.Standalone.Admin;

/// <summary>
/// The admin HTTP API that gatewayctl talks to (contracts in protos/gateway/v1/admin.proto and friends): the shared
/// endpoints of services/AdminApi, this process's queue, <c>/healthz</c>, and the token over all of it.
/// </summary>
public static class AdminEndpoints
{
    public static WebApplication MapAdminApi(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));

        // /metrics is served by prometheus-net, not a route handler, so the endpoint filter cannot guard it: once a
        // token is set (required off loopback), scrapers send it too (Prometheus: authorization credentials_file).
        app.Use(async (context, next) =>
        {
            var filter = context.RequestServices.GetRequiredService<AdminTokenFilter>();
            if (context.Request.Path.StartsWithSegments("/metrics") && !filter.IsAuthorized(context))
            {
                await AdminResults.Error(StatusCodes.Status401Unauthorized, "a valid bearer token is required")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        var guard = new BrowserRequestGuard(
            app.Services.GetRequiredService<IOptions<AdminOptions>>().Value.HasToken);
        // The registered instance, not AddEndpointFilter<T>: that builds a filter (and read the token) per call.
        var api = app.MapGroup("/api/v1")
            .AddEndpointFilter(app.Services.GetRequiredService<AdminTokenFilter>())
            .AddEndpointFilter(guard.FilterAsync);

        api.MapMessageApi(app.Services.GetRequiredService<IOptions<AdminOptions>>().Value.MaxMessageBytes);
        api.MapQueueApi();
        api.MapRemediationApi();
        api.MapSenderApi();

        return app;
    }
}
