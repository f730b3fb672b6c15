using Gateway.Common.Configuration;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Tests.Queue.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

public sealed class QueueServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDirectory _dataDir = new();

    public void Dispose() => _dataDir.Dispose();

    [Fact]
    public async Task AddQueueAndDelivery_InvalidTarget_StopsTheStartWithTheSettingName()
    {
        using var host = Build(new() { ["Gateway:Delivery:Target"] = "ftp://mail.example.test" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Gateway:Delivery:Target 'ftp://mail.example.test' is invalid", error.Message);
    }

    [Fact]
    public async Task AddQueueAndDelivery_Defaults_OneSpoolBehindBothInterfacesAndMaildirUnderDataDir()
    {
        using var host = Build([]);

        await host.StartAsync();
        try
        {
            var spool = host.Services.GetRequiredService<IMessageSpool>();
            Assert.Same(spool, host.Services.GetRequiredService<IQueueInspector>());
            Assert.Same(spool, host.Services.GetRequiredService<FileMessageSpool>());
            Assert.Equal("maildir:" + Path.Combine(_dataDir.Path, "mail"),
                host.Services.GetRequiredService<IDeliveryTarget>().Description);
            Assert.True(Directory.Exists(Path.Combine(_dataDir.Path, "spool", "queue")));
            Assert.Equal(0, host.Services.GetRequiredService<IQueueInspector>().GetStatus().Messages);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task AddQueueAndDelivery_LmtpTarget_IsBuiltFromConfiguration()
    {
        using var host = Build(new()
        {
            ["Gateway:Delivery:Target"] = "lmtp://127.0.0.1:2424",
            ["Gateway:Delivery:Concurrency"] = "2",
            ["Gateway:Delivery:RetryInitialDelay"] = "00:00:30",
        });

        var target = host.Services.GetRequiredService<IDeliveryTarget>();

        var routes = Assert.IsType<Gateway.MtaEdge.Delivery.Routing.RoutingDeliveryTarget>(target).Routes;
        Assert.IsType<LmtpDeliveryTarget>(Assert.Single(routes.LocalDefault.Targets));
        Assert.Null(routes.Remote);
        Assert.Equal("lmtp://127.0.0.1:2424", target.Description);
        var options = host.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(30), options.RetryInitialDelay);
        Assert.Equal(2, options.Concurrency);
    }

    [Fact]
    public void AddQueueAndDelivery_RoutesAndRemoteTargets_AreBuiltFromConfiguration()
    {
        using var host = Build(new()
        {
            ["Gateway:Delivery:Routes:0:Domain"] = "Example.Test",
            ["Gateway:Delivery:Routes:0:Targets:0"] = "lmtp://127.0.0.1:2424",
            ["Gateway:Delivery:Routes:0:Targets:1"] = "smtp://127.0.0.1:2525",
            ["Gateway:Delivery:RemoteTargets:0"] = "mx",
            ["Gateway:Delivery:DnsServers:0"] = "127.0.0.1:5353",
        });

        var target = host.Services.GetRequiredService<IDeliveryTarget>();

        var routes = Assert.IsType<Gateway.MtaEdge.Delivery.Routing.RoutingDeliveryTarget>(target).Routes;
        var local = routes.Find("example.test.", isReport: false)!;
        Assert.Equal(["lmtp://127.0.0.1:2424", "smtp://127.0.0.1:2525"], local.Targets.Select(t => t.Description));
        Assert.Equal("mx", Assert.Single(routes.Remote!.Targets).Description);
        Assert.Same(routes.Remote, routes.Find("elsewhere.test", isReport: true));
        Assert.Null(routes.Find("elsewhere.test", isReport: false));
    }

    [Theory]
    [InlineData("Gateway:Delivery:Routes:0:Targets:0", "ftp://x")]
    [InlineData("Gateway:Delivery:RemoteTargets:0", "smtp://")]
    [InlineData("Gateway:Delivery:DnsServers:0", "dns.example")]
    [InlineData("Gateway:Delivery:SmtpTls", "Sometimes")]
    public async Task AddQueueAndDelivery_BadRouteSetting_FailsAtStart(string key, string value)
    {
        using var host = Build(new()
        {
            ["Gateway:Delivery:Routes:0:Domain"] = "sub.example.test",
            ["Gateway:Delivery:Routes:0:Targets:0"] = "lmtp://127.0.0.1:2424",
            [key] = value,
        });

        await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
    }

    private IHost Build(Dictionary<string, string?> settings)
    {
        settings["Gateway:DataDir"] = _dataDir.Path;
        settings["Gateway:Domains:0"] = "example.test";
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.SectionName));
        builder.Services.AddLogging();
        builder.Services.AddQueueAndDelivery(builder.Configuration);
        return builder.Build();
    }
}
