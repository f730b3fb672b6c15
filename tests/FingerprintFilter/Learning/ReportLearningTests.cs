using Gateway.FingerprintFilter.Store;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.V1;
using Google.Protobuf;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Learning;

/// <summary>Reporter trust end to end through the service: who can convict, who cannot, who learns to.</summary>
public sealed class ReportLearningTests
{
    private static CancellationToken Token => CancellationToken.None;

    private readonly MemoryFingerprintStore _store = new();
    private readonly MemoryReporterStore _reporters = new();
    private readonly RecordingEventPublisher _publisher = new();

    private FingerprintFilterService Service() =>
        FingerprintFilterFactory.Service(_store, _publisher, reporters: _reporters);

    /// <summary>Distinct messages: no two share a fuzzy match (each is its own random text).</summary>
    private static byte[] Message(int seed) =>
        TestMessages.Crlf(TestMessages.Bytes(TestMessages.Plain(TestMessages.RandomText(seed))));

    private static ReportRequest Report(ReportKind kind, byte[] message, string source) =>
        new() { Kind = kind, Message = ByteString.CopyFrom(message), Source = source };

    private static ScanRequest Scan(byte[] message) => new() { QueueId = "Q", Message = ByteString.CopyFrom(message) };

    [Fact]
    public async Task ReportSpam_OneNewUser_WeighsAFifthConvictsNothingPublishesNothing()
    {
        var result = await Service().ReportAsync(Report(ReportKind.Spam, Message(0), "user:a@example.test"),
            Token);
        var scan = await Service().ScanAsync(Scan(Message(0)), Token);

        Assert.Equal(0.2, result.Weight);
        Assert.False(result.Convicted);
        Assert.False(result.Changed);
        Assert.Empty(_publisher.Events);
        Assert.Equal(ScanClass.Clean, scan.Classification);
        Assert.Equal(2, scan.Score);
    }

    [Fact]
    public async Task ReportSpam_FiveDistinctNewUsers_ConvictAndPublishOnce()
    {
        var service = Service();
        ReportResult? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await service.ReportAsync(Report(ReportKind.Spam, Message(0), $"user:u{i}@example.test"),
                Token);
            Assert.Equal(i == 4, last.Convicted);
        }

        var scan = await service.ScanAsync(Scan(Message(0)), Token);

        Assert.True(last!.Changed);
        Assert.Equal(FingerprintEventKind.Convicted, Assert.Single(_publisher.Events).Kind);
        Assert.Equal(Gateway.V1.Action.Reject, scan.Verdict.Action);
    }

    [Fact]
    public async Task ReportSpam_OneUserManyTimes_CountsOnce()
    {
        var service = Service();
        for (var i = 0; i < 10; i++)
        {
            await service.ReportAsync(Report(ReportKind.Spam, Message(0), "user:loud@example.test"), Token);
        }

        var scan = await service.ScanAsync(Scan(Message(0)), Token);

        Assert.Equal(ScanClass.Clean, scan.Classification);
        Assert.Empty(_publisher.Events);
    }

    [Fact]
    public async Task TrustedDecision_AfterUserReports_CreditsForesightAndDebitsTheWrong()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Message(0), "user:right@example.test"), Token);
        await service.ReportAsync(Report(ReportKind.Ham, Message(0), "user:wrong@example.test"), Token);

        await service.ReportAsync(Report(ReportKind.Spam, Message(0), "admin"), Token);
        await service.ReportAsync(Report(ReportKind.Spam, Message(0), "user:late@example.test"), Token);

        Assert.Equal(new ReporterRecord("user:right@example.test", 1, 0),
            await _reporters.GetAsync("user:right@example.test", Token));
        Assert.Equal(new ReporterRecord("user:wrong@example.test", 0, 1),
            await _reporters.GetAsync("user:wrong@example.test", Token));
        // Agreeing with a decision already made earns nothing: otherwise trust could be farmed.
        Assert.Equal(new ReporterRecord("user:late@example.test", 0, 0),
            await _reporters.GetAsync("user:late@example.test", Token));
    }

    [Fact]
    public async Task ReportSpam_TwoReportersWithGoodRecords_ConvictTogether()
    {
        var service = Service();
        for (var variant = 1; variant <= 5; variant++)
        {
            await service.ReportAsync(Report(ReportKind.Spam, Message(variant * 10), "user:good1@example.test"),
                Token);
            await service.ReportAsync(Report(ReportKind.Spam, Message(variant * 10), "user:good2@example.test"),
                Token);
            await service.ReportAsync(Report(ReportKind.Spam, Message(variant * 10), "admin"), Token);
        }

        var first = await service.ReportAsync(Report(ReportKind.Spam, Message(7), "user:good1@example.test"),
            Token);
        var second = await service.ReportAsync(Report(ReportKind.Spam, Message(7), "user:good2@example.test"),
            Token);

        Assert.Equal(0.6, first.Weight, 6);
        Assert.False(first.Convicted);
        Assert.True(second.Convicted);
    }

    [Fact]
    public async Task ReportSpam_FewBadReportersAgainstHam_CannotConvictIt()
    {
        var service = Service();
        var bad = Enumerable.Range(0, 4).Select(i => $"user:bad{i}@example.test").ToList();

        // They report a newsletter as spam; the admin says it is ham: each of them disagreed once.
        foreach (var reporter in bad)
        {
            await service.ReportAsync(Report(ReportKind.Spam, Message(1), reporter), Token);
        }

        await service.ReportAsync(Report(ReportKind.Ham, Message(1), "admin"), Token);

        // Then they gang up on another legitimate message.
        ReportResult? last = null;
        foreach (var reporter in bad)
        {
            last = await service.ReportAsync(Report(ReportKind.Spam, Message(2), reporter), Token);
        }

        var scan = await service.ScanAsync(Scan(Message(2)), Token);

        Assert.Equal(0.125, last!.Weight, 6);
        Assert.False(last.Convicted);
        Assert.NotEqual(ScanClass.Spam, scan.Classification);
        Assert.DoesNotContain(_publisher.Events, e => e.Kind == FingerprintEventKind.Convicted);
    }

    [Fact]
    public async Task ReportHam_UsersOutweighingUsers_ReverseAnUntrustedConviction()
    {
        var service = Service();
        for (var i = 0; i < 5; i++)
        {
            await service.ReportAsync(Report(ReportKind.Spam, Message(3), $"user:s{i}@example.test"),
                Token);
        }

        ReportResult? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await service.ReportAsync(Report(ReportKind.Ham, Message(3), $"user:h{i}@example.test"),
                Token);
        }

        var scan = await service.ScanAsync(Scan(Message(3)), Token);

        Assert.True(last!.Changed);
        Assert.Equal(FingerprintEventKind.Reversed, _publisher.Events[^1].Kind);
        Assert.Equal(ScanClass.Clean, scan.Classification);
    }
}
