using Gateway.Common.Configuration;
using Gateway.Common.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Common;

public static class CommonServiceCollectionExtensions
{
    /// <summary>
    /// Registers what every tier shares: <see cref="GatewayOptions"/> (validated at start-up),
    /// the local <see cref="DomainSet"/> and the Redis connection.
    /// </summary>
    public static IServiceCollection AddGatewayCommon(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>()
            .Bind(configuration.GetSection(GatewayOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Domains.All(d => DomainSet.Normalize(d).Length > 0 && !d.Contains('@')),
                "Gateway:Domains entries must be plain domain names such as example.test.")
            .ValidateOnStart();
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName));
        services.AddSingleton(sp => new DomainSet(sp.GetRequiredService<IOptions<GatewayOptions>>()));
        services.AddSingleton<IRedisConnection>(sp => new RedisConnection(
            sp.GetRequiredService<IOptions<RedisOptions>>(),
            sp.GetService<IRedisEndpointSource>()));
        return services;
    }
}
