using System.Text;
using Gateway.ClusterCommon.Grpc;
using Gateway.ClusterCommon.Health;
using Gateway.ClusterCommon.Security;
using Gateway.ClusterCommon.Telemetry;
using Gateway.Common.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;

namespace Gateway.ClusterCommon.Hosting;

/// <summary>
/// What every cluster service has: a gRPC listener (h2c, or mutual TLS) whose calls need the service's bearer
/// token when one is configured, and an HTTP listener, gRPC health, HTTP
/// <c>/healthz/live</c> and <c>/healthz/ready</c>, Prometheus <c>/metrics</c>, and OpenTelemetry traces.
/// </summary>
public static class ClusterServiceDefaults
{
    /// <summary>Tag of the checks that decide readiness (dependencies that must answer).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Tag of the checks that decide liveness (the process itself).</summary>
    public const string LiveTag = "live";

    public static WebApplicationBuilder AddClusterServiceDefaults(this WebApplicationBuilder builder,
        string serviceName)
    {
        builder.Services.AddOptions<ServiceHostOptions>()
            .Bind(builder.Configuration.GetSection(ServiceHostOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServiceHostOptions>, ServiceHostOptionsValidator>();

        // Kestrel is configured when the server starts, after the options were validated (start-up refuses
        // an unauthenticated non-loopback listener before anything is bound).
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var options = context.Configuration.GetSection(ServiceHostOptions.SectionName).Get<ServiceHostOptions>()
                ?? new ServiceHostOptions();
            kestrel.Listen(EndpointParser.Parse(options.GrpcListen, "Gateway:Service:GrpcListen"), listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (options.Tls.IsEnabled)
                {
                    listen.UseHttps(TlsFiles.ServerOptions(options.Tls));
                }
            });
            kestrel.Listen(EndpointParser.Parse(options.HttpListen, "Gateway:Service:HttpListen"),
                listen => listen.Protocols = HttpProtocols.Http1);
        });

        var maxGrpc = builder.Configuration.GetValue<int?>($"{ServiceHostOptions.SectionName}:MaxGrpcMessageBytes")
            ?? new ServiceHostOptions().MaxGrpcMessageBytes;
        builder.Services.AddSingleton<GrpcTokenInterceptor>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = maxGrpc;
            grpc.MaxSendMessageSize = maxGrpc;
            grpc.Interceptors.Add<GrpcTokenInterceptor>();
        });

        // gRPC health answers for the service as a whole ("") from the readiness checks, computed on each call.
        builder.Services.AddGrpcHealthChecks(grpc =>
            {
                grpc.Services.Map("", registration => registration.Tags.Contains(ReadyTag));
                grpc.UseHealthChecksCache = false;
            })
            .AddCheck("process", () => HealthCheckResult.Healthy(), tags: [LiveTag]);

        builder.Logging.Configure(logging => logging.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        builder.AddTracing(serviceName);
        return builder;
    }

    /// <summary>Readiness waits for the shared Redis.</summary>
    public static IServiceCollection AddRedisReadiness(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag]);
        return services;
    }

    public static WebApplication MapClusterServiceDefaults(this WebApplication app)
    {
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
            ResponseWriter = WriteReportAsync,
        });
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReportAsync,
        });
        app.MapMetrics("/metrics");
        app.MapGrpcHealthChecksService();
        return app;
    }

    private static void AddTracing(this WebApplicationBuilder builder, string serviceName)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>()
            ?? new TelemetryOptions();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                var ratio = Math.Clamp(options.SampleRatio, 0, 1);
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)));

                // Every Gateway.* source (tiers and cluster plumbing), outgoing HTTP (gRPC calls) and incoming
                // requests.
                tracing.AddSource("Gateway.*");
                tracing.AddSource("System.Net.Http");
                tracing.AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context =>
                    !context.Request.Path.StartsWithSegments("/healthz")
                    && !context.Request.Path.StartsWithSegments("/metrics")
                    && !context.Request.Path.StartsWithSegments("/grpc.health.v1.Health"));
                if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
                {
                    tracing.AddOtlpExporter(otlp =>
                    {
                        otlp.Endpoint = new Uri(options.OtlpEndpoint);
                        otlp.Protocol = string.Equals(options.OtlpProtocol, "http", StringComparison.OrdinalIgnoreCase)
                            ? OtlpExportProtocol.HttpProtobuf
                            : OtlpExportProtocol.Grpc;
                    });
                }
            });
    }

    /// <summary>Plain text: the overall status, then one line per check, so a person with curl sees what is
    /// missing.</summary>
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder().Append(report.Status).Append('\n');
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append(": ").Append(entry.Status);
            if (!string.IsNullOrEmpty(entry.Description))
            {
                text.Append(" (").Append(entry.Description.ReplaceLineEndings(" ")).Append(')');
            }

            text.Append('\n');
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString());
    }
}
