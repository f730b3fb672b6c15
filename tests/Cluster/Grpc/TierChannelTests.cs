using System.Diagnostics;
using System.Net;
using Gateway.Cluster.Tests.Support;
using Gateway.ClusterCommon.Grpc;
using Gateway.ClusterCommon.Grpc.Clients;
using Gateway.ClusterCommon.Telemetry;
using Gateway.Testing;
using Gateway.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Cluster.Tests.Grpc;

/// <summary>The gRPC client adapters: trace context in the call's metadata, deadlines, fail-open answers.</summary>
public sealed class TierChannelTests
{
    [Fact]
    public async Task Call_UnderAnActivity_SendsItsTraceContextInTheMetadata()
    {
        var port = FreePort.Next();
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(seen);
        await using var app = builder.Build();
        app.MapGrpcService<RecordingSenderIntelligence>();
        await app.StartAsync();

        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ClusterTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var channel = new TierChannel("SenderIntelligence",
            new TierClientOptions { Address = $"http://127.0.0.1:{port}" }, NullLoggerFactory.Instance);
        var client = new SenderIntelligenceClient(channel);

        using var parent = new Activity("smtp session").Start();
        var decision = await client.CheckConnectAsync(new ConnectRequest { ClientIp = "192.0.2.1" },
            CancellationToken.None);
        parent.Stop();

        Assert.Equal(V1.Action.Accept, decision.Verdict.Action);
        var traceparent = await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(traceparent);
        Assert.Equal(parent.TraceId.ToHexString(), traceparent.Split('-')[1]);
        await app.StopAsync();
    }

    [Fact]
    public async Task Call_TierSilent_FailsWithDeadlineExceeded_OrFailsOpenWhenConfigured()
    {
        using var silent = new SilentEndpoint();
        using var strict = new TierChannel("FingerprintFilter",
            new TierClientOptions { Address = silent.Address, Deadline = TimeSpan.FromMilliseconds(500) },
            NullLoggerFactory.Instance);
        using var lenient = new TierChannel("FingerprintFilter",
            new TierClientOptions
            {
                Address = silent.Address,
                Deadline = TimeSpan.FromMilliseconds(500),
                FailOpen = true,
            },
            NullLoggerFactory.Instance);
        var scan = new ScanRequest { QueueId = "Q1" };

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            new FingerprintFilterClient(strict).ScanAsync(scan, CancellationToken.None));
        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");

        var open = await new FingerprintFilterClient(lenient).ScanAsync(scan, CancellationToken.None);
        Assert.Equal(V1.Action.Accept, open.Verdict.Action);
        Assert.Equal("fail-open", open.Verdict.Reason);

        // Reports have no neutral answer: they fail even when the tier fails open.
        await Assert.ThrowsAsync<RpcException>(() => new FingerprintFilterClient(lenient)
            .ReportAsync(new ReportRequest { Kind = ReportKind.Spam }, CancellationToken.None));
    }

    private sealed class RecordingSenderIntelligence(TaskCompletionSource<string?> seen)
        : V1.SenderIntelligence.SenderIntelligenceBase
    {
        public override Task<ConnectDecision> CheckConnect(ConnectRequest request, ServerCallContext context)
        {
            seen.TrySetResult(context.RequestHeaders.GetValue("traceparent"));
            return Task.FromResult(new ConnectDecision { Verdict = new Verdict { Action = V1.Action.Accept } });
        }
    }
}
