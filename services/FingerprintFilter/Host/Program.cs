using Gateway.ClusterCommon.Hosting;
using Gateway.Common.Hosting;
using Gateway.FingerprintFilter.Grpc;
using Gateway.FingerprintFilter.Host;

// The fingerprint filter in cluster mode: scans and reports over gRPC; convictions and reversals go to Kafka.
return await ServiceMain.RunAsync("gateway-fingerprint-filter", async () =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.AddClusterServiceDefaults("gateway-fingerprint-filter");
    builder.Services.AddFingerprintFilterService(builder.Configuration);

    var app = builder.Build();
    app.MapClusterServiceDefaults();
    app.MapFingerprintFilterGrpc();
    await app.RunAsync();
});
