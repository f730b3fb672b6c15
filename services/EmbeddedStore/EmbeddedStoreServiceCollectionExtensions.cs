using Gateway.Common.Redis;
using Gateway.EmbeddedStore.Configuration;
using Gateway.EmbeddedStore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.EmbeddedStore;

public static class EmbeddedStoreServiceCollectionExtensions
{
    /// <summary>
    /// Runs the embedded Redis-protocol server when <c>Gateway:Redis:Configuration</c> is empty, and makes it
    /// the <see cref="IRedisEndpointSource"/> the shared Redis connection falls back to. Register it before
    /// every hosted service that uses Redis: hosted services start in registration order.
    /// </summary>
    public static IServiceCollection AddEmbeddedRedis(this IServiceCollection services, IConfiguration configuration)
    {
        var external = configuration.GetSection(RedisOptions.SectionName)[nameof(RedisOptions.Configuration)];
        if (!string.IsNullOrWhiteSpace(external))
        {
            return services;
        }

        services.AddOptions<EmbeddedRedisOptions>()
            .Bind(configuration.GetSection(EmbeddedRedisOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<EmbeddedRedisServer>();
        services.AddHostedService(provider => provider.GetRequiredService<EmbeddedRedisServer>());
        services.AddSingleton<IRedisEndpointSource>(provider => provider.GetRequiredService<EmbeddedRedisServer>());
        return services;
    }
}
