using Gateway.Common.Configuration;
using Gateway.Contracts;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Smtp;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>AddSmtpServer: options bound from Gateway:Smtp, validated at start, the server hosted.</summary>
public sealed class SmtpHostingTests
{
    [Fact]
    public async Task AddSmtpServer_ValidConfiguration_HostServesSmtp()
    {
        using var host = BuildHost(new Dictionary<string, string?>
        {
            ["Gateway:Smtp:Listen"] = "127.0.0.1:0",
            ["Gateway:Smtp:MaxRecipients"] = "7",
            ["Gateway:Smtp:CommandTimeout"] = "00:01:00",
        });

        await host.StartAsync();
        var server = host.Services.GetRequiredService<SmtpServer>();
        Assert.Equal(7, host.Services.GetRequiredService<IOptions<SmtpOptions>>().Value.MaxRecipients);
        await using (var client = await RawSmtpClient.ConnectAndHelloAsync(server.LocalEndPoint!))
        {
            await client.QuitAsync();
        }

        await host.StopAsync();
    }

    [Theory]
    [InlineData("Gateway:Smtp:Listen", "not-an-endpoint")]
    [InlineData("Gateway:Smtp:Listen", "127.0.0.1")]
    [InlineData("Gateway:Smtp:MaxMessageBytes", "100")]
    [InlineData("Gateway:Smtp:MaxCommandLineBytes", "100")]
    [InlineData("Gateway:Smtp:MaxRecipients", "0")]
    [InlineData("Gateway:Smtp:MaxSessions", "0")]
    [InlineData("Gateway:Smtp:CommandTimeout", "00:00:00")]
    [InlineData("Gateway:Smtp:DataBlockTimeout", "-00:00:01")]
    public async Task AddSmtpServer_BadSetting_FailsAtStartNamingIt(string key, string value)
    {
        using var host = BuildHost(
            new Dictionary<string, string?> { ["Gateway:Smtp:Listen"] = "127.0.0.1:0", [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_AreValidAndFollowRfc5321()
    {
        var options = new SmtpOptions();

        Assert.True(new SmtpOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal("127.0.0.1:2525", options.Listen);
        Assert.Equal(25L * 1024 * 1024, options.MaxMessageBytes);
        Assert.Equal(100, options.MaxRecipients);
        Assert.Equal(512, options.MaxCommandLineBytes);
        Assert.Equal(TimeSpan.FromMinutes(5), options.CommandTimeout);
        Assert.Equal(TimeSpan.FromMinutes(3), options.DataBlockTimeout);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.Configure<GatewayOptions>(o =>
        {
            o.Domains.Add(TestSmtpServer.LocalDomain);
            o.Hostname = TestSmtpServer.Hostname;
        });
        // DomainSet has two public constructors, so the container needs to be told which one.
        builder.Services.AddSingleton(
            provider => new DomainSet(provider.GetRequiredService<IOptions<GatewayOptions>>()));
        builder.Services.AddSingleton<ISenderIntelligence, StubSenderIntelligence>();
        builder.Services.AddSingleton<IFingerprintFilter, StubFingerprintFilter>();
        builder.Services.AddSingleton<IMessageSpool, InMemorySpool>();
        builder.Services.AddSmtpServer(builder.Configuration);
        return builder.Build();
    }
}
