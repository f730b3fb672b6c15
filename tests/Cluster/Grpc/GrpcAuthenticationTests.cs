using Gateway.Cluster.Tests.Support;
using Gateway.ClusterCommon.Grpc;
using Gateway.ClusterCommon.Grpc.Clients;
using Gateway.Testing;
using Gateway.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Gateway.Cluster.Tests.Grpc;

/// <summary>
/// The cluster services' gRPC authentication through the real host defaults and client adapter: the bearer
/// token, the exemption of health checks, secrecy in logs and metrics, and mutual TLS.
/// </summary>
public sealed class GrpcAuthenticationTests(ITestOutputHelper output)
{
    private const string Token = "s3cret-token-0123456789-abcdef";

    private static readonly ConnectRequest Connect = new() { ClientIp = "192.0.2.1" };

    [Fact]
    public async Task Call_WithoutToken_IsUnauthenticated()
    {
        await using var host = await TestServiceHost.StartAsync(TokenSettings());

        var failure = await Assert.ThrowsAsync<RpcException>(() => CheckConnectAsync(host, token: null));

        Assert.Equal(StatusCode.Unauthenticated, failure.StatusCode);
    }

    [Fact]
    public async Task Call_WithWrongToken_IsUnauthenticated()
    {
        await using var host = await TestServiceHost.StartAsync(TokenSettings());

        var wrong = await Assert.ThrowsAsync<RpcException>(() => CheckConnectAsync(host, Token + "x"));
        var prefix = await Assert.ThrowsAsync<RpcException>(() => CheckConnectAsync(host, Token[..^1] + "X"));

        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, prefix.StatusCode);
    }

    [Fact]
    public async Task Call_WithToken_IsAnswered()
    {
        await using var host = await TestServiceHost.StartAsync(TokenSettings());

        var decision = await CheckConnectAsync(host, Token);

        Assert.Equal(V1.Action.Accept, decision.Verdict.Action);
    }

    [Fact]
    public async Task HealthCheck_WithoutToken_IsAnswered()
    {
        await using var host = await TestServiceHost.StartAsync(TokenSettings());
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{host.GrpcPort}");

        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(),
            deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Token_AfterRefusedAndAnsweredCalls_AppearsInNoLogNorMetrics()
    {
        var tokenFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(tokenFile, Token + "\n");
            await using var host = await TestServiceHost.StartAsync(new Dictionary<string, string?>
            {
                ["Gateway:Service:GrpcTokenFile"] = tokenFile,
            });
            // The client logs into the same capture: its failures must not leak the token either.
            using var clientLogs = LoggerFactory.Create(logging =>
                logging.SetMinimumLevel(LogLevel.Trace).AddProvider(host.Logs));
            var address = $"http://127.0.0.1:{host.GrpcPort}";
            await CheckConnectAsync(new TierClientOptions { Address = address, GrpcTokenFile = tokenFile },
                clientLogs);
            await Assert.ThrowsAsync<RpcException>(() => CheckConnectAsync(
                new TierClientOptions { Address = address, GrpcToken = "wrong-" + Token }, clientLogs));
            await Assert.ThrowsAsync<RpcException>(() => CheckConnectAsync(host, token: null));
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{host.HttpPort}/metrics");

            // The refusals were logged and counted (so the captures are the real ones), without the token.
            Assert.Contains("GrpcCallUnauthenticated", host.Logs.EventNames);
            Assert.Contains("TierCallFailed", host.Logs.EventNames);
            Assert.Contains("gateway_grpc_unauthenticated_total{reason=\"invalid\"}", metrics);
            Assert.DoesNotContain(Token, host.Logs.AllText);
            Assert.DoesNotContain(Token, metrics);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task TokenFile_Rewritten_NewTokenAcceptedOldRefused()
    {
        var tokenFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(tokenFile, Token);
            await using var host = await TestServiceHost.StartAsync(new Dictionary<string, string?>
            {
                ["Gateway:Service:GrpcTokenFile"] = tokenFile,
            });
            await CheckConnectAsync(host, Token);

            const string rotated = "rotated-token-9876543210-zyxw";
            await File.WriteAllTextAsync(tokenFile, rotated);
            File.SetLastWriteTimeUtc(tokenFile, DateTime.UtcNow.AddMinutes(1));

            // The file is looked at again every few seconds: poll, bounded, until the new token is taken.
            var accepted = false;
            for (var attempt = 0; attempt < 60 && !accepted; attempt++)
            {
                try
                {
                    await CheckConnectAsync(host, rotated);
                    accepted = true;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated)
                {
                    await Task.Delay(500);
                }
            }

            Assert.True(accepted, "the rewritten token was never accepted");
            var old = await Assert.ThrowsAsync<RpcException>(() => CheckConnectAsync(host, Token));
            Assert.Equal(StatusCode.Unauthenticated, old.StatusCode);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task Start_NonLoopbackGrpcWithoutAuthentication_IsRefusedNamingTheKeys()
    {
        // 192.0.2.1 (TEST-NET-1) is no address of this machine: were validation to come after binding, the
        // start would fail with a socket error instead, and nothing ever listens off loopback.
        var logs = new CapturedLogs();
        var app = TestServiceHost.Build(new Dictionary<string, string?>
        {
            ["Gateway:Service:GrpcListen"] = $"192.0.2.1:{FreePort.Next()}",
        }, logs, FreePort.Next(), FreePort.Next());
        await using var _ = app;

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        output.WriteLine(failure.Message);
        Assert.Contains("Gateway:Service:GrpcTokenFile", failure.Message);
        Assert.Contains("Gateway:Service:Tls:ClientCaFile", failure.Message);
    }

    [Fact]
    public async Task MutualTls_ClientWithCertificateOfTheCa_IsAnswered_OthersAreRefused()
    {
        using var certificates = await TestCertificates.CreateAsync();
        await using var host = await TestServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Service:Tls:CertificateFile"] = certificates.ServerCertificateFile,
            ["Gateway:Service:Tls:KeyFile"] = certificates.ServerKeyFile,
            ["Gateway:Service:Tls:ClientCaFile"] = certificates.CaFile,
        });
        var address = $"https://127.0.0.1:{host.GrpcPort}";

        var decision = await CheckConnectAsync(new TierClientOptions
        {
            Address = address,
            CertificateFile = certificates.ClientCertificateFile,
            KeyFile = certificates.ClientKeyFile,
            CaFile = certificates.CaFile,
        });
        var withoutCertificate = await Assert.ThrowsAsync<RpcException>(() => CheckConnectAsync(
            new TierClientOptions { Address = address, CaFile = certificates.CaFile }));
        var stranger = await Assert.ThrowsAsync<RpcException>(() => CheckConnectAsync(new TierClientOptions
        {
            Address = address,
            CertificateFile = certificates.StrangerCertificateFile,
            KeyFile = certificates.StrangerKeyFile,
            CaFile = certificates.CaFile,
        }));

        Assert.Equal(V1.Action.Accept, decision.Verdict.Action);
        output.WriteLine($"without certificate: {withoutCertificate.Status}");
        output.WriteLine($"certificate of another CA: {stranger.Status}");
        // The connection is cut during the TLS handshake; which status the client reports depends on when it
        // notices, so the server's log says who refused (Kestrel's event, logged as the handshake ends).
        Assert.True(withoutCertificate.StatusCode is StatusCode.Unavailable or StatusCode.Internal);
        Assert.True(stranger.StatusCode is StatusCode.Unavailable or StatusCode.Internal);
        for (var wait = 0; wait < 100 && host.Logs.EventNames.Count(n => n == "AuthenticationFailed") < 2; wait++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(2, host.Logs.EventNames.Count(n => n == "AuthenticationFailed"));
    }

    private static Dictionary<string, string?> TokenSettings() => new() { ["Gateway:Service:GrpcToken"] = Token };

    private static Task<ConnectDecision> CheckConnectAsync(TestServiceHost host, string? token) =>
        CheckConnectAsync(new TierClientOptions
        {
            Address = $"http://127.0.0.1:{host.GrpcPort}",
            GrpcToken = token,
        });

    private static async Task<ConnectDecision> CheckConnectAsync(TierClientOptions options,
        ILoggerFactory? loggerFactory = null)
    {
        options.Deadline = TimeSpan.FromSeconds(30);
        using var channel = new TierChannel("SenderIntelligence", options,
            loggerFactory ?? NullLoggerFactory.Instance);
        return await new SenderIntelligenceClient(channel).CheckConnectAsync(Connect, CancellationToken.None);
    }
}
