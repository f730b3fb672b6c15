using Gateway.ClusterCommon.Hosting;
using Gateway.Common.Hosting;
using Gateway.MtaEdge.Host;
using Gateway.MtaEdge.Host.Admin;
using Gateway.MtaEdge.Host.Grpc;

// The MTA edge in cluster mode: SMTP listener, Kafka queue and delivery, the admin API; the tiers over gRPC.
return await ServiceMain.RunAsync("gateway-mta-edge", async () =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.AddClusterServiceDefaults("gateway-mta-edge");
    builder.Services.AddMtaEdgeService(builder.Configuration);

    var app = builder.Build();
    app.MapClusterServiceDefaults();
    app.MapGrpcService<MtaEdgeGrpcService>();
    app.MapClusterAdminApi();
    await app.RunAsync();
});
