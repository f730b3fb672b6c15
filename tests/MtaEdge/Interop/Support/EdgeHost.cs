using System.Net;
using Gateway.Common.Configuration;
using Gateway.Contracts;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Smtp;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Tests.Interop.Support;

/// <summary>
/// The whole edge as the host wires it (SMTP listener, durable spool, delivery worker) on 127.0.0.1
/// port 0, with settings from the test and in-test doubles only for the other tiers. Mail for
/// example.test; its data directory is a fresh temp folder.
/// </summary>
public sealed class EdgeHost : IAsyncDisposable
{
    private readonly Queue.Support.TempDirectory _dataDir = new();
    private readonly IHost _host;

    private EdgeHost(Dictionary<string, string?> settings)
    {
        settings["Gateway:DataDir"] = _dataDir.Path;
        settings["Gateway:Domains:0"] = TestSmtpServer.LocalDomain;
        settings["Gateway:Hostname"] = TestSmtpServer.Hostname;
        settings.TryAdd("Gateway:Smtp:Listen", "127.0.0.1:0");
        settings.TryAdd("Gateway:Delivery:RetryInitialDelay", "00:00:01");
        settings.TryAdd("Gateway:Delivery:RetryMaxDelay", "00:00:02");

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging(logging => logging.AddProvider(Log).SetMinimumLevel(LogLevel.Debug));
        builder.Services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.SectionName));
        builder.Services.AddSingleton<ISenderIntelligence, StubSenderIntelligence>();
        builder.Services.AddSingleton<IFingerprintFilter, StubFingerprintFilter>();
        builder.Services.AddQueueAndDelivery(builder.Configuration);
        builder.Services.AddSmtpServer(builder.Configuration);
        _host = builder.Build();
    }

    public string DataDir => _dataDir.Path;

    /// <summary>What the edge logged (for failure messages).</summary>
    public CollectingLoggerProvider Log { get; } = new();

    public IPEndPoint EndPoint => _host.Services.GetRequiredService<SmtpServer>().LocalEndPoint!;

    public FileMessageSpool Spool => _host.Services.GetRequiredService<FileMessageSpool>();

    public static async Task<EdgeHost> StartAsync(Dictionary<string, string?> settings)
    {
        var edge = new EdgeHost(settings);
        await edge._host.StartAsync();
        return edge;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
        _dataDir.Dispose();
    }
}
