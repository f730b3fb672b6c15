using Gateway.ClusterCommon.Hosting;
using Gateway.Testing;
using Gateway.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Gateway.Cluster.Tests.Support;

/// <summary>
/// A cluster service host as the tiers build it (<see cref="ClusterServiceDefaults"/>) on 127.0.0.1, serving a
/// sender-intelligence stub that accepts everyone; every log event at every level is captured.
/// </summary>
public sealed class TestServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServiceHost(WebApplication app, int grpcPort, int httpPort, CapturedLogs logs)
    {
        _app = app;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        Logs = logs;
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public CapturedLogs Logs { get; }

    /// <summary>Builds the host; <paramref name="settings"/> go over the loopback listeners.</summary>
    public static WebApplication Build(IDictionary<string, string?> settings, CapturedLogs logs, int grpcPort,
        int httpPort)
    {
        var builder = WebApplication.CreateBuilder();

        // Only these settings: the test's output folder holds an edge's appsettings.json, whose log filters
        // would hide the Debug and Trace events the secrecy checks must see.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Service:GrpcListen"] = $"127.0.0.1:{grpcPort}",
            ["Gateway:Service:HttpListen"] = $"127.0.0.1:{httpPort}",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);
        builder.AddClusterServiceDefaults("gateway-test");

        // A service always has a readiness check (Redis at least); with none, gRPC health says UNKNOWN.
        builder.Services.AddHealthChecks()
            .AddCheck("dependency", () => HealthCheckResult.Healthy(), tags: [ClusterServiceDefaults.ReadyTag]);
        var app = builder.Build();
        app.MapClusterServiceDefaults();
        app.MapGrpcService<AcceptingSenderIntelligence>();
        return app;
    }

    public static async Task<TestServiceHost> StartAsync(IDictionary<string, string?> settings)
    {
        var logs = new CapturedLogs();
        var grpcPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var app = Build(settings, logs, grpcPort, httpPort);
        await app.StartAsync();
        return new TestServiceHost(app, grpcPort, httpPort, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class AcceptingSenderIntelligence : V1.SenderIntelligence.SenderIntelligenceBase
    {
        public override Task<ConnectDecision> CheckConnect(ConnectRequest request, ServerCallContext context) =>
            Task.FromResult(new ConnectDecision { Verdict = new Verdict { Action = V1.Action.Accept } });
    }
}
