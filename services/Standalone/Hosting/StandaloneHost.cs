using Gateway.AdminApi;
using Gateway.Common;
using Gateway.Common.Net;
using Gateway.Contracts;
using Gateway.EmbeddedStore;
using Gateway.FingerprintFilter;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Smtp;
using Gateway.MtaEdge.Smtp.Message;
using Gateway.RetroRemediation;
using Gateway.RetroRemediation.Reputation;
using Gateway.SenderIntelligence;
using Gateway.Standalone.Admin;
using Gateway.Standalone.Events;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Gateway.Standalone.Hosting;

/// <summary>Builds the standalone gateway: shared state, the four tiers, and the admin API.</summary>
public static class StandaloneHost
{
    /// <param name="args">Command-line arguments (configuration overrides such as --Gateway:DataDir=...).</param>
    /// <param name="configure">Extra configuration sources, applied last (tests use in-memory settings).</param>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder.Configuration);

        // Shared state first: the embedded Redis must be up before any tier touches it.
        builder.Services.AddGatewayCommon(builder.Configuration);
        builder.Services.AddEmbeddedRedis(builder.Configuration);

        // The four tiers, talking in-process through the same interfaces the cluster calls over gRPC.
        builder.Services.AddSenderIntelligence(builder.Configuration);
        builder.Services.AddFingerprintFilter(builder.Configuration);
        builder.Services.AddRetroRemediation(builder.Configuration);
        builder.Services.AddSingleton<IConvictionFeedback, InProcessConvictionFeedback>();
        builder.Services.AddSingleton<IFingerprintEventPublisher, InProcessFingerprintEventPublisher>();
        builder.Services.AddQueueAndDelivery(builder.Configuration);
        builder.Services.AddSingleton<IEdgeReportIntake, FingerprintReportIntakeAdapter>();
        builder.Services.AddSmtpServer(builder.Configuration);

        builder.AddAdminApi();

        var app = builder.Build();
        app.MapAdminApi();
        app.MapMetrics("/metrics");
        return app;
    }

    private static void AddAdminApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>()
            .Bind(builder.Configuration.GetSection(AdminOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<AdminOptions>, AdminTokenValidator<AdminOptions>>();
        builder.Services.AddSingleton<AdminTokenFilter>();
        builder.Services.AddSingleton<IQueueAdministration, SpoolQueueAdministration>();

        // Kestrel serves only the admin API; the SMTP listener is the edge's own socket server.
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var listen = context.Configuration[$"{AdminOptions.SectionName}:Listen"] ?? new AdminOptions().Listen;
            if (EndpointParser.TryParse(listen, out var endpoint))
            {
                kestrel.Listen(endpoint);
            }
        });
    }
}
