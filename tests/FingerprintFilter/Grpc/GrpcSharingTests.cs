using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Gateway.Contracts;
using Gateway.FingerprintFilter.Grpc;
using Gateway.FingerprintFilter.Sharing;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
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
/// The gRPC services in process over Kestrel on 127.0.0.1 (a free port, HTTP/2 without TLS): the filter's
/// own RPCs, and a peer site subscribing to this site's feed and convicting what this site convicted.
/// </summary>
public sealed class GrpcSharingTests : IAsyncLifetime
{
    private readonly ECDsa _keyA = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _keyFile = Path.GetTempFileName();
    private WebApplication? _siteA;
    private string _address = "";

    private static byte[] Message(int seed) =>
        TestMessages.Crlf(TestMessages.Bytes(TestMessages.Plain(TestMessages.RandomText(seed))));

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_keyFile, _keyA.ExportPkcs8PrivateKeyPem());
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
            ["Gateway:Fingerprint:Intake:TrapAddresses:0"] = "trap@a.example",
        });
        builder.Services.AddGrpc();
        builder.Services.AddFingerprintFilter(builder.Configuration).UseInMemoryFingerprintStores();
        builder.Services.AddSingleton<IFingerprintEventPublisher, RecordingEventPublisher>();
        _siteA = builder.Build();
        _siteA.MapFingerprintFilterGrpc();
        await _siteA.StartAsync();
        var addresses = _siteA.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        _address = addresses!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        if (_siteA is not null)
        {
            await _siteA.StopAsync();
            await _siteA.DisposeAsync();
        }

        File.Delete(_keyFile);
        _keyA.Dispose();
    }

    [Fact]
    public async Task FilterRpcs_ReportScanAndIntake_WorkOverGrpc()
    {
        using var channel = GrpcChannel.ForAddress(_address);
        var client = new V1.FingerprintFilter.FingerprintFilterClient(channel);

        var intake = await client.IntakeAsync(new IntakeRequest
        {
            QueueId = "Q1",
            Message = ByteString.CopyFrom(Message(1)),
            Recipients = { "trap@a.example", "bob@a.example" },
        });
        var scan = await client.ScanAsync(
            new ScanRequest { QueueId = "Q2", Message = ByteString.CopyFrom(Message(1)) });
        var fingerprint = await client.FingerprintAsync(
            new FingerprintRequest { Message = ByteString.CopyFrom(Message(2)) });

        Assert.Equal(["trap@a.example"], intake.ConsumedRecipients);
        Assert.Equal(Gateway.V1.Action.Reject, scan.Verdict.Action);
        Assert.Equal("5.7.1", scan.Verdict.EnhancedCode);
        Assert.NotEmpty(fingerprint.Fingerprints);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.ReportAsync(new ReportRequest
        {
            Kind = ReportKind.Unspecified, Message = ByteString.CopyFrom(Message(1)),
        }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Export_NotAllowedSubscriber_IsRefused()
    {
        using var channel = GrpcChannel.ForAddress(_address);
        var client = new FingerprintFeed.FingerprintFeedClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.ExportAsync(new FeedRequest { SubscriberId = "site-z" }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Subscribe_PeerSite_ConvictsWhatThisSiteConvictsWithinSeconds()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Fingerprint:Sharing:SiteId"] = "",
            ["Gateway:Fingerprint:Sharing:Peers:0:SiteId"] = "site-a",
            ["Gateway:Fingerprint:Sharing:Peers:0:Url"] = _address,
            ["Gateway:Fingerprint:Sharing:Peers:0:PublicKey"] = _keyA.ExportSubjectPublicKeyInfoPem(),
            ["Gateway:Fingerprint:Sharing:Peers:0:Weight"] = "1",
            ["Gateway:Fingerprint:Sharing:Peers:0:SubscriberId"] = "site-b",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddFingerprintFilter(configuration).UseInMemoryFingerprintStores();
        services.AddSingleton<IFingerprintEventPublisher, RecordingEventPublisher>();
        await using var siteB = services.BuildServiceProvider();
        var subscription = siteB.GetServices<IHostedService>().OfType<PeerSubscriptionService>().Single();
        var filterA = _siteA!.Services.GetRequiredService<IFingerprintFilter>();
        var filterB = siteB.GetRequiredService<IFingerprintFilter>();

        // One conviction before B subscribes (catch-up), one after (live).
        await filterA.ReportAsync(new ReportRequest
        {
            Kind = ReportKind.Spam, Message = ByteString.CopyFrom(Message(10)), Source = "admin",
        }, CancellationToken.None);
        await subscription.StartAsync(CancellationToken.None);
        await WaitForVerdictAsync(filterB, Message(10), TimeSpan.FromSeconds(10));
        await filterA.ReportAsync(new ReportRequest
        {
            Kind = ReportKind.Spam, Message = ByteString.CopyFrom(Message(11)), Source = "trap:t@a.example",
        }, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        await WaitForVerdictAsync(filterB, Message(11), TimeSpan.FromSeconds(5));
        await subscription.StopAsync(CancellationToken.None);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        var watermarks = siteB.GetRequiredService<IPeerWatermarkStore>();
        Assert.Equal(2, await watermarks.GetAsync("site-a", CancellationToken.None));
    }

    private static async Task WaitForVerdictAsync(IFingerprintFilter filter, byte[] message, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var result = await filter.ScanAsync(
                new ScanRequest { QueueId = "Q", Message = ByteString.CopyFrom(message) }, CancellationToken.None);
            if (result.Verdict.Action == Gateway.V1.Action.Reject)
            {
                return;
            }

            Assert.True(watch.Elapsed < limit, $"peer did not convict within {limit.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
