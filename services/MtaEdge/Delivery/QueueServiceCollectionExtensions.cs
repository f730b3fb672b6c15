using Gateway.Common.Configuration;
using Gateway.MtaEdge.Delivery.Dsn;
using Gateway.MtaEdge.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Delivery;

public static class QueueServiceCollectionExtensions
{
    /// <summary>
    /// The durable spool (as <see cref="IMessageSpool"/> and <see cref="IQueueInspector"/>), its recovery
    /// at start, the configured delivery target and the delivery worker. Expects GatewayOptions to be
    /// bound by the host; uses an <c>IRetroRemediation</c> when one is registered.
    /// </summary>
    public static IServiceCollection AddQueueAndDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>()
            .Bind(configuration.GetSection(DeliveryOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new DomainSet(sp.GetRequiredService<IOptions<GatewayOptions>>()));

        services.TryAddSingleton<DeliverySchedule>();
        services.TryAddSingleton<IDeliveryScheduler>(sp => sp.GetRequiredService<DeliverySchedule>());
        services.TryAddSingleton<FileMessageSpool>();
        services.TryAddSingleton<IMessageSpool>(sp => sp.GetRequiredService<FileMessageSpool>());
        services.TryAddSingleton<IQueueInspector>(sp => sp.GetRequiredService<FileMessageSpool>());

        services.TryAddSingleton<DeliveryTargetFactory>();
        services.TryAddSingleton<IDeliveryTarget>(sp => sp.GetRequiredService<DeliveryTargetFactory>().Create());
        services.TryAddSingleton<DeliveryStatusNotifier>();
        services.TryAddSingleton<DeliveryClaims>();
        services.TryAddSingleton<Admin.QueueAdministrator>();

        // Recovery before the worker; the worker waits for it too, and so does every store.
        services.AddHostedService<SpoolRecoveryService>();
        services.AddHostedService<DeliveryWorker>();
        return services;
    }
}
