using Gateway.ClusterCommon.Hosting;
using Gateway.Common.Hosting;
using Gateway.SenderIntelligence.Host;
using Gateway.SenderIntelligence.Host.Grpc;

// Sender intelligence in cluster mode: connect decisions over gRPC, reputation learned from Kafka.
return await ServiceMain.RunAsync("gateway-sender-intelligence", async () =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.AddClusterServiceDefaults("gateway-sender-intelligence");
    builder.Services.AddSenderIntelligenceService(builder.Configuration);

    var app = builder.Build();
    app.MapClusterServiceDefaults();
    app.MapGrpcService<SenderIntelligenceGrpcService>();
    await app.RunAsync();
});
