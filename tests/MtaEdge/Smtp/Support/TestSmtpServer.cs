using Xunit;
using System.Net;
using Gateway.Common.Configuration;
using Gateway.MtaEdge.Smtp;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Tests.Smtp.Support;

/// <summary>
/// The real <see cref="SmtpServer"/> on 127.0.0.1, port 0, accepting mail for example.test, with
/// in-test doubles for the other tiers and the spool.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    public const string Hostname = "mx.gateway.test";
    public const string LocalDomain = "example.test";

    private TestSmtpServer(SmtpOptions options)
    {
        Options = options;
        Server = new SmtpServer(
            Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Options.Options.Create(Gateway),
            new DomainSet(Gateway.Domains),
            Sender,
            Filter,
            Spool,
            Logger);
    }

    public GatewayOptions Gateway { get; } = new() { Domains = { LocalDomain }, Hostname = Hostname };

    public SmtpOptions Options { get; }

    public StubSenderIntelligence Sender { get; } = new();

    public StubFingerprintFilter Filter { get; } = new();

    public InMemorySpool Spool { get; } = new();

    public ListLogger<SmtpServer> Logger { get; } = new();

    public SmtpServer Server { get; }

    public IPEndPoint EndPoint => Server.LocalEndPoint!;

    /// <summary>
    /// Starts a server with test defaults: port 0, a short shutdown grace and error delays of a few
    /// milliseconds (so tests that make many errors stay fast; the delay itself has its own tests).
    /// </summary>
    public static async Task<TestSmtpServer> StartAsync(Action<SmtpOptions>? configure = null)
    {
        var options = new SmtpOptions
        {
            Listen = "127.0.0.1:0",
            ShutdownGrace = TimeSpan.FromSeconds(2),
            ErrorDelay = TimeSpan.FromMilliseconds(1),
            MaxErrorDelay = TimeSpan.FromMilliseconds(5),
        };
        configure?.Invoke(options);
        var validation = new SmtpOptionsValidator().Validate(null, options);
        Assert.True(validation.Succeeded, validation.FailureMessage);

        var server = new TestSmtpServer(options);
        await server.Server.StartAsync(CancellationToken.None);
        return server;
    }

    /// <summary>Builds (without starting) a server with exactly these options.</summary>
    public static TestSmtpServer Create(SmtpOptions options) => new(options);

    public IPEndPoint ProxyEndPoint => Server.ProxyEndPoint!;

    public Task<RawSmtpClient> ConnectAsync() => RawSmtpClient.ConnectAsync(EndPoint);

    public Task<RawSmtpClient> ConnectAndHelloAsync(string helo = "client.test") =>
        RawSmtpClient.ConnectAndHelloAsync(EndPoint, helo);

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(CancellationToken.None);
        Server.Dispose();
    }
}
