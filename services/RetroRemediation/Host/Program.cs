using Gateway.ClusterCommon.Hosting;
using Gateway.Common.Hosting;
using Gateway.RetroRemediation.Grpc;
using Gateway.RetroRemediation.Host;

// Retro-remediation in cluster mode: learns delivered copies and acts on convictions, both from Kafka.
return await ServiceMain.RunAsync("gateway-retro-remediation", async () =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.AddClusterServiceDefaults("gateway-retro-remediation");
    builder.Services.AddRetroRemediationService(builder.Configuration);

    var app = builder.Build();
    app.MapClusterServiceDefaults();
    app.MapGrpcService<RetroRemediationGrpcService>();
    await app.RunAsync();
});
