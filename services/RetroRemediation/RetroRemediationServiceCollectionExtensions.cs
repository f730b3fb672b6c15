using Gateway.Common.Redis;
using Gateway.Contracts;
using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.RetroRemediation.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation;

public static class RetroRemediationServiceCollectionExtensions
{
    /// <summary>
    /// Adds the retro-remediation tier: options from <c>Gateway:Remediation</c> (validated at start),
    /// the delivered-mail cache, the Maildir and IMAP store adapters, and <see cref="IRetroRemediation"/>.
    /// Uses the shared <see cref="IRedisConnection"/>, registering one from <c>Gateway:Redis</c> when the
    /// host has not.
    /// </summary>
    public static IServiceCollection AddRetroRemediation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetroRemediationOptions>()
            .Bind(configuration.GetSection(RetroRemediationOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor
            .Singleton<IPostConfigureOptions<RetroRemediationOptions>, RetroRemediationOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor
            .Singleton<IValidateOptions<RetroRemediationOptions>, RetroRemediationOptionsValidator>());

        if (!services.Any(d => d.ServiceType == typeof(IRedisConnection)))
        {
            services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName));
            services.AddSingleton<IRedisConnection, RedisConnection>();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeliveredMailCache>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMailboxStoreAdapter, MaildirStoreAdapter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMailboxStoreAdapter, ImapStoreAdapter>());
        services.TryAddSingleton<RetroRemediationService>();
        services.TryAddSingleton<IRetroRemediation>(sp => sp.GetRequiredService<RetroRemediationService>());
        return services;
    }
}
