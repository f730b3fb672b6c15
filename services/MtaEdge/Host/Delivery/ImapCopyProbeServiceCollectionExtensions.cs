using Gateway.MtaEdge.Queue.Kafka;

namespace Gateway.MtaEdge.Host.Delivery;

public static class ImapCopyProbeServiceCollectionExtensions
{
    /// <summary>
    /// Uses <see cref="ImapCopyProbe"/> for orphaned deliveries when <c>Gateway:Remediation:Imap</c> names a
    /// store; without it such recipients are delivered again (at-least-once).
    /// </summary>
    public static IServiceCollection AddImapCopyProbe(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ImapProbeOptions>().Bind(configuration.GetSection(ImapProbeOptions.SectionName));
        var options = configuration.GetSection(ImapProbeOptions.SectionName).Get<ImapProbeOptions>();
        if (options?.IsConfigured == true)
        {
            services.AddSingleton<IDeliveredCopyProbe, ImapCopyProbe>();
        }

        return services;
    }
}
