using Gateway.Common.Redis;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Store;

/// <summary>The whole filter over the real Redis store: learn, convict, reverse, fail closed when it is down.</summary>
public sealed class FingerprintFilterServiceRedisTests
{
    private static readonly byte[] Spam = TestMessages.Crlf(TestMessages.Bytes(TestMessages.Plain(
        TestMessages.CampaignText + " Visit http://pills.example.com/?u=zzzz", "Cheap meds", "<s1@spam.test>")));

    private static readonly byte[] SpamCopy = TestMessages.Crlf(TestMessages.Bytes(TestMessages.Plain(
        TestMessages.CampaignText + " Visit http://pills.example.com/?u=yyyy", "yyyy, cheap meds!", "<s2@spam.test>")));

    private static ScanRequest Scan(byte[] message) => new() { QueueId = "Q1", Message = ByteString.CopyFrom(message) };

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ReportThenScan_RealRedis_ConvictsCopyAndReversalReleasesIt()
    {
        await using var redis = new RedisTestConnection();
        var publisher = new RecordingEventPublisher();
        var service = FingerprintFilterFactory.Service(FingerprintFilterFactory.RedisStore(redis), publisher);

        var before = await service.ScanAsync(Scan(SpamCopy), CancellationToken.None);
        var report = await service.ReportAsync(
            new ReportRequest { Kind = ReportKind.Spam, Message = ByteString.CopyFrom(Spam), Source = "admin" },
            CancellationToken.None);
        var convicted = await service.ScanAsync(Scan(SpamCopy), CancellationToken.None);
        var reversal = await service.ReportAsync(
            new ReportRequest { Kind = ReportKind.Ham, Message = ByteString.CopyFrom(SpamCopy), Source = "admin" },
            CancellationToken.None);
        var released = await service.ScanAsync(Scan(Spam), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Accept, before.Verdict.Action);
        Assert.True(report.Changed);
        Assert.Equal(Gateway.V1.Action.Reject, convicted.Verdict.Action);
        Assert.Equal(550, convicted.Verdict.SmtpCode);
        Assert.Equal("5.7.1", convicted.Verdict.EnhancedCode);
        Assert.Equal(report.Fingerprints, convicted.Matched);
        Assert.True(reversal.Changed);
        Assert.Equal(Gateway.V1.Action.Accept, released.Verdict.Action);
        Assert.Equal(
            [FingerprintEventKind.Convicted, FingerprintEventKind.Reversed],
            publisher.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task Scan_RedisUnreachable_TempFails451()
    {
        using var unreachable = new RedisConnection(Options.Create(new RedisOptions
        {
            Configuration = $"127.0.0.1:{FreePort.Next()}," +
                "connectTimeout=300,syncTimeout=500,asyncTimeout=500,connectRetry=0",
        }));
        var service = FingerprintFilterFactory.Service(
            FingerprintFilterFactory.RedisStore(unreachable), new RecordingEventPublisher());

        var result = await service.ScanAsync(Scan(Spam), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Tempfail, result.Verdict.Action);
        Assert.Equal(451, result.Verdict.SmtpCode);
        Assert.Equal("4.7.0", result.Verdict.EnhancedCode);
        Assert.Equal("fingerprint-store-unavailable", result.Verdict.Reason);
    }
}
