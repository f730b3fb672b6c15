using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Smtp;

public static class SmtpServiceCollectionExtensions
{
    /// <summary>
    /// Adds the ESMTP listener as a hosted service, with <see cref="SmtpOptions"/> bound from
    /// <c>Gateway:Smtp</c> and validated at start-up. Expects ISenderIntelligence, IFingerprintFilter,
    /// IMessageSpool, DomainSet and IOptions&lt;GatewayOptions&gt; to be registered elsewhere.
    /// </summary>
    public static IServiceCollection AddSmtpServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmtpOptions>()
            .Bind(configuration.GetSection(SmtpOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddSingleton<SmtpServer>();
        services.AddHostedService(provider => provider.GetRequiredService<SmtpServer>());
        return services;
    }
}
