using Gateway.Common.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.ClusterCommon.Hosting;

/// <summary>
/// The Main of every cluster service: a web host with the cluster defaults (listeners, auth, health, metrics,
/// traces) under <see cref="ServiceMain"/>, plus the service's own registrations and endpoints.
/// </summary>
public static class ClusterServiceHost
{
    public static Task<int> RunAsync(
        string name,
        string[] args,
        Action<IServiceCollection, IConfiguration> addServices,
        Action<WebApplication> mapEndpoints) =>
        ServiceMain.RunAsync(name, async () =>
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                Args = args,
                ContentRootPath = AppContext.BaseDirectory,
            });
            builder.AddClusterServiceDefaults(name);
            addServices(builder.Services, builder.Configuration);

            var app = builder.Build();
            app.MapClusterServiceDefaults();
            mapEndpoints(app);
            await app.RunAsync();
        });
}
