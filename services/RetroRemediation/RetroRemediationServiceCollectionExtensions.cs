using Gateway.Common.Redis;
using Gateway.Contracts;
using Gateway.RetroRemediation.Actions;
using Gateway.RetroRemediation.Audit;
using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.RetroRemediation.Policy;
using Gateway.RetroRemediation.Reputation;
using Gateway.RetroRemediation.Stores;
using Gateway.RetroRemediation.Stores.Imap;
using Gateway.RetroRemediation.Stores.Jmap;
using Gateway.RetroRemediation.Stores.Maildir;
using Gateway.RetroRemediation.Stores.Webhook;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation;

public static class RetroRemediationServiceCollectionExtensions
{
    /// <summary>
    /// Adds the retro-remediation tier: options from <c>Gateway:Remediation</c> (validated at start),
    /// the delivered-mail cache, the pending-action list and its worker (a hosted service), the audit
    /// log, the Maildir, IMAP, JMAP and webhook store adapters, <see cref="IRetroRemediation"/> and
    /// <see cref="IRemediationQueries"/>. Uses the shared <see cref="IRedisConnection"/>, registering one
    /// from <c>Gateway:Redis</c> when the host has not.
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
        services.TryAddSingleton<PendingActionQueue>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<SenderExemption>();
        services.TryAddSingleton<MessageOriginStore>();
        services.TryAddSingleton<CopyActionRunner>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMailboxStoreAdapter, MaildirStoreAdapter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMailboxStoreAdapter, ImapStoreAdapter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMailboxStoreAdapter, JmapStoreAdapter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMailboxStoreAdapter, WebhookStoreAdapter>());
        services.TryAddSingleton<PendingActionWorker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PendingActionWorker>(
            sp => sp.GetRequiredService<PendingActionWorker>()));
        services.TryAddSingleton<RetroRemediationService>();
        services.TryAddSingleton<IRetroRemediation>(sp => sp.GetRequiredService<RetroRemediationService>());
        services.TryAddSingleton<IRemediationQueries>(sp => sp.GetRequiredService<RetroRemediationService>());
        return services;
    }
}
