using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Gateway.Contracts;
using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Grpc;
using Gateway.FingerprintFilter.Sharing;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Grpc;

/// <summary>
/// A peer site whose gRPC listener requires a bearer token (cluster mode off loopback): this site's subscription
/// sends the token from Peers:N:TokenFile, and without it the peer refuses the feed.
/// </summary>
public sealed class PeerTokenTests : IAsyncLifetime
{
    private const string Token = "peer-token-0123456789abcdef";

    private readonly ECDsa _keyA = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _keyFile = Path.GetTempFileName();
    private readonly string _tokenFile = Path.GetTempFileName();
    private readonly TokenCheck _check = new();
    private WebApplication? _siteA;
    private string _address = "";

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_keyFile, _keyA.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(_tokenFile, Token + "\n");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Fingerprint:Sharing:SiteId"] = "site-a",
            ["Gateway:Fingerprint:Sharing:SigningKeyFile"] = _keyFile,
            ["Gateway:Fingerprint:Sharing:HeartbeatInterval"] = "00:00:01",
            ["Gateway:Fingerprint:Sharing:AllowedSubscribers:0"] = "site-b",
        });
        builder.Services.AddSingleton(_check);
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<TokenCheck>());
        builder.Services.AddFingerprintFilter(builder.Configuration).UseInMemoryFingerprintStores();
        builder.Services.AddSingleton<IFingerprintEventPublisher, RecordingEventPublisher>();
        _siteA = builder.Build();
        _siteA.MapFingerprintFilterGrpc();
        await _siteA.StartAsync();
        _address = _siteA.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
    }

    public async Task DisposeAsync()
    {
        if (_siteA is not null)
        {
            await _siteA.StopAsync();
            await _siteA.DisposeAsync();
        }

        File.Delete(_keyFile);
        File.Delete(_tokenFile);
        _keyA.Dispose();
    }

    [Fact]
    public async Task Subscribe_WithTokenFile_PeerAcceptsAndItsConvictionsArrive()
    {
        await using var siteB = SiteB(_tokenFile);
        var subscription = siteB.GetServices<IHostedService>().OfType<PeerSubscriptionService>().Single();
        await Report(10);

        await subscription.StartAsync(CancellationToken.None);
        var convicted = await WaitForVerdictAsync(siteB.GetRequiredService<IFingerprintFilter>(), 10,
            TimeSpan.FromSeconds(10));
        await subscription.StopAsync(CancellationToken.None);

        Assert.True(convicted, "the peer's conviction did not arrive");
        Assert.True(_check.Accepted > 0);
    }

    [Fact]
    public async Task Subscribe_WithoutToken_PeerRefusesAndNothingArrives()
    {
        await using var siteB = SiteB(tokenFile: "");
        var subscription = siteB.GetServices<IHostedService>().OfType<PeerSubscriptionService>().Single();
        await Report(20);

        await subscription.StartAsync(CancellationToken.None);
        var convicted = await WaitForVerdictAsync(siteB.GetRequiredService<IFingerprintFilter>(), 20,
            TimeSpan.FromSeconds(2));
        await subscription.StopAsync(CancellationToken.None);

        Assert.False(convicted);
        Assert.True(_check.Refused > 0);
        Assert.Equal(0, _check.Accepted);
    }

    [Theory]
    [InlineData("http://gw.peer.example:5001", true, "in clear")]
    [InlineData("https://gw.peer.example:5001", true, null)]
    [InlineData("http://127.0.0.1:5001", true, null)]
    [InlineData("https://gw.peer.example:5001", false, "does not exist")]
    public void Validator_PeerTokenFile_OnlyOverHttpsOrLoopbackAndMustExist(string url, bool exists, string? error)
    {
        var options = new FingerprintFilterOptions();
        options.Sharing.Peers.Add(new PeerOptions
        {
            SiteId = "site-a",
            Url = url,
            PublicKey = _keyA.ExportSubjectPublicKeyInfoPem(),
            TokenFile = exists ? _tokenFile : _tokenFile + ".missing",
        });

        var result = new FingerprintFilterOptionsValidator().Validate(null, options);

        if (error is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.Contains(result.Failures!, f => f.Contains("TokenFile") && f.Contains(error));
        }
    }

    private ServiceProvider SiteB(string tokenFile)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Fingerprint:Sharing:SiteId"] = "",
            ["Gateway:Fingerprint:Sharing:Peers:0:SiteId"] = "site-a",
            ["Gateway:Fingerprint:Sharing:Peers:0:Url"] = _address,
            ["Gateway:Fingerprint:Sharing:Peers:0:PublicKey"] = _keyA.ExportSubjectPublicKeyInfoPem(),
            ["Gateway:Fingerprint:Sharing:Peers:0:Weight"] = "1",
            ["Gateway:Fingerprint:Sharing:Peers:0:SubscriberId"] = "site-b",
            ["Gateway:Fingerprint:Sharing:Peers:0:TokenFile"] = tokenFile,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddFingerprintFilter(configuration).UseInMemoryFingerprintStores();
        services.AddSingleton<IFingerprintEventPublisher, RecordingEventPublisher>();
        return services.BuildServiceProvider();
    }

    private static byte[] Message(int seed) =>
        TestMessages.Crlf(TestMessages.Bytes(TestMessages.Plain(TestMessages.RandomText(seed))));

    private Task Report(int seed) =>
        _siteA!.Services.GetRequiredService<IFingerprintFilter>().ReportAsync(new ReportRequest
        {
            Kind = ReportKind.Spam, Message = ByteString.CopyFrom(Message(seed)), Source = "admin",
        }, CancellationToken.None);

    private static async Task<bool> WaitForVerdictAsync(IFingerprintFilter filter, int seed, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            var result = await filter.ScanAsync(
                new ScanRequest { QueueId = "Q", Message = ByteString.CopyFrom(Message(seed)) },
                CancellationToken.None);
            if (result.Verdict.Action == Gateway.V1.Action.Reject)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>What the cluster's token check does, reduced to the test's needs: the exact bearer token or
    /// Unauthenticated.</summary>
    private sealed class TokenCheck : Interceptor
    {
        private int _accepted;
        private int _refused;

        public int Accepted => Volatile.Read(ref _accepted);

        public int Refused => Volatile.Read(ref _refused);

        public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request,
            IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
            ServerStreamingServerMethod<TRequest, TResponse> continuation)
        {
            Check(context);
            return continuation(request, responseStream, context);
        }

        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request,
            ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            Check(context);
            return continuation(request, context);
        }

        private void Check(ServerCallContext context)
        {
            if (context.RequestHeaders.GetValue("authorization") != "Bearer " + Token)
            {
                Interlocked.Increment(ref _refused);
                throw new RpcException(new Status(StatusCode.Unauthenticated, "token required"));
            }

            Interlocked.Increment(ref _accepted);
        }
    }
}
