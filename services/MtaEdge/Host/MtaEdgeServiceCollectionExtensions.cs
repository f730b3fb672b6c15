using Gateway.AdminApi;
using Gateway.ClusterCommon.Grpc;
using Gateway.ClusterCommon.Grpc.Clients;
using Gateway.ClusterCommon.Hosting;
using Gateway.ClusterCommon.Kafka;
using Gateway.Common;
using Gateway.Common.Net;
using Microsoft.Extensions.Options;
using Gateway.Contracts;
using Gateway.MtaEdge.Host.Admin;
using Gateway.MtaEdge.Host.Delivery;
using Gateway.MtaEdge.Queue.Kafka;
using Gateway.MtaEdge.Smtp;

namespace Gateway.MtaEdge.Host;

public static class MtaEdgeServiceCollectionExtensions
{
    /// <summary>
    /// The edge's parts in cluster mode: shared options and Redis, Kafka, gRPC clients of sender intelligence
    /// and the fingerprint filter (deadline and fail-open from Gateway:Cluster:*), the Kafka queue and delivery,
    /// and the SMTP listener. Readiness waits for Redis, Kafka and each tier that does not fail open.
    /// </summary>
    public static IServiceCollection AddMtaEdgeService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayCommon(configuration);
        services.AddRedisReadiness();
        services.AddKafka(configuration, "gateway-mta-edge");

        services.AddTierClient<ISenderIntelligence>(
            configuration, "SenderIntelligence", channel => new SenderIntelligenceClient(channel));
        services.AddTierClient<IFingerprintFilter>(
            configuration, "FingerprintFilter", channel => new FingerprintFilterClient(channel));

        // Only the admin API's lookups use retro-remediation: the edge is ready without it.
        services.AddTierClient<IRetroRemediation>(
            configuration, "RetroRemediation", channel => new RetroRemediationClient(channel),
                requiredForReadiness: false);
        services.AddSingleton<IRemediationQueries>(
            sp => (RetroRemediationClient)sp.GetRequiredService<IRetroRemediation>());
        services.AddOptions<AdminApiOptions>()
            .Bind(configuration.GetSection(AdminApiOptions.SectionName))
            .ValidateDataAnnotations()
            // The admin routes answer on both listeners (Kestrel does not tie endpoints to ports), so either
            // one off loopback needs the token.
            .Validate<IOptions<ServiceHostOptions>>((admin, host) => admin.HasToken
                    || (IsLoopback(host.Value.HttpListen) && IsLoopback(host.Value.GrpcListen)),
                "Gateway:Admin:Token (or TokenFile) is required when Gateway:Service:HttpListen or GrpcListen is "
                    + "not a loopback address.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminApiOptions>, AdminTokenValidator<AdminApiOptions>>();

        services.AddImapCopyProbe(configuration);
        services.AddKafkaQueueAndDelivery(configuration);
        services.AddSingleton<IQueueAdministration, KafkaQueueAdministration>();
        services.AddSmtpServer(configuration);
        return services;
    }

    private static bool IsLoopback(string listen) =>
        EndpointParser.TryParse(listen, out var endpoint) && EndpointParser.IsLoopback(endpoint);
}
