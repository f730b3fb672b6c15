using Gateway.FingerprintFilter.Store;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.V1;
using Google.Protobuf;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Service;

/// <summary>The service's decisions, over an in-memory store double (the Redis store has its own tests).</summary>
public sealed class FingerprintFilterServiceTests
{
    private readonly InMemoryFingerprintStore _store = new();
    private readonly RecordingEventPublisher _publisher = new();

    private static readonly byte[] Spam = TestMessages.Crlf(TestMessages.Bytes(
        TestMessages.WithAttachment(TestMessages.CampaignText, "attached order form")));

    private FingerprintFilterService Service(FingerprintFilterOptions? options = null) =>
        FingerprintFilterFactory.Service(_store, _publisher, options);

    private static ScanRequest Scan(byte[] message) =>
        new() { QueueId = "Q1", Message = ByteString.CopyFrom(message), ClientIp = "192.0.2.1" };

    private static ReportRequest Report(ReportKind kind, byte[] message, string source = "admin") =>
        new() { Kind = kind, Message = ByteString.CopyFrom(message), Source = source };

    [Fact]
    public async Task Scan_UnknownContent_AcceptsWithFingerprints()
    {
        var result = await Service().ScanAsync(Scan(Spam), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Accept, result.Verdict.Action);
        Assert.Equal(0, result.Verdict.SmtpCode);
        Assert.Equal(2, result.Fingerprints.Count);
        Assert.Empty(result.Matched);
    }

    [Fact]
    public async Task Scan_AfterSpamReport_RejectsWith550And571()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Spam), CancellationToken.None);

        var copy = TestMessages.Crlf(TestMessages.Bytes(
            TestMessages.WithAttachment(TestMessages.CampaignText, "attached order form", subject: "Other subject")));
        var result = await service.ScanAsync(Scan(copy), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Reject, result.Verdict.Action);
        Assert.Equal(550, result.Verdict.SmtpCode);
        Assert.Equal("5.7.1", result.Verdict.EnhancedCode);
        Assert.Equal("Message content matches known spam", result.Verdict.Text);
        Assert.Equal("known-spam", result.Verdict.Reason);
        Assert.Equal(result.Fingerprints.OrderBy(f => f), result.Matched.OrderBy(f => f));
    }

    [Fact]
    public async Task Scan_OnlyAttachmentMatches_Accepts()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Spam), CancellationToken.None);
        var ham = TestMessages.Crlf(TestMessages.Bytes(TestMessages.WithAttachment(
            "Minutes of Tuesday's meeting are attached, please review them before Friday's call.",
            "attached order form")));

        var result = await service.ScanAsync(Scan(ham), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Accept, result.Verdict.Action);
        Assert.Equal("attachment-match-only", result.Verdict.Reason);
        Assert.StartsWith("a1:", Assert.Single(result.Matched));
    }

    [Fact]
    public async Task Scan_StoreUnavailable_TempFailsWith451And470()
    {
        _store.Unavailable = true;

        var result = await Service().ScanAsync(Scan(Spam), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Tempfail, result.Verdict.Action);
        Assert.Equal(451, result.Verdict.SmtpCode);
        Assert.Equal("4.7.0", result.Verdict.EnhancedCode);
        Assert.Equal("fingerprint-store-unavailable", result.Verdict.Reason);
        Assert.Equal(2, result.Fingerprints.Count);
    }

    [Fact]
    public async Task Scan_Verdicts_CountedByVerdictLabel()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Spam), CancellationToken.None);
        var rejects = FingerprintFilterMetrics.Scans.WithLabels("reject").Value;
        var durations = FingerprintFilterMetrics.ScanDuration.Count;

        await service.ScanAsync(Scan(Spam), CancellationToken.None);

        // Other tests scan in parallel, so the counters may have moved further.
        Assert.True(FingerprintFilterMetrics.Scans.WithLabels("reject").Value >= rejects + 1);
        Assert.True(FingerprintFilterMetrics.ScanDuration.Count >= durations + 1);
    }

    [Fact]
    public async Task Scan_StoreUnavailableAndFailOpen_Accepts()
    {
        _store.Unavailable = true;
        var options = FingerprintFilterFactory.DefaultOptions();
        options.FailOpen = true;

        var result = await Service(options).ScanAsync(Scan(Spam), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Accept, result.Verdict.Action);
        Assert.Equal("fingerprint-store-unavailable", result.Verdict.Reason);
    }

    [Fact]
    public async Task Scan_MessageWithoutFingerprints_AcceptsWithoutLookup()
    {
        _store.Unavailable = true;

        var tooShort = TestMessages.Bytes(TestMessages.Plain("ok"));

        var result = await Service().ScanAsync(Scan(tooShort), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Accept, result.Verdict.Action);
        Assert.Empty(result.Fingerprints);
    }

    [Fact]
    public async Task Scan_GarbageInput_AcceptsWithoutThrowing()
    {
        var result = await Service().ScanAsync(Scan([0, 0xFF, 0x0A, 0x0D]), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Accept, result.Verdict.Action);
    }

    [Fact]
    public async Task ReportSpam_NewContent_StoresChangesAndPublishesConvictedWithTextFingerprintsOnly()
    {
        var result = await Service().ReportAsync(Report(ReportKind.Spam, Spam, "trap:spamtrap@example.test"),
            CancellationToken.None);

        Assert.True(result.Changed);
        Assert.Equal(2, result.Fingerprints.Count);
        foreach (var fingerprint in result.Fingerprints)
        {
            Assert.Equal(FingerprintState.Spam, (await _store.GetAsync(fingerprint, CancellationToken.None))?.State);
        }

        var published = Assert.Single(_publisher.Events);
        Assert.Equal(FingerprintEventKind.Convicted, published.Kind);
        Assert.Equal("trap:spamtrap@example.test", published.Source);
        Assert.False(string.IsNullOrEmpty(published.EventId));
        Assert.NotNull(published.At);
        Assert.Equal(
            result.Fingerprints.Where(fp => fp.StartsWith("t1:", StringComparison.Ordinal)), published.Fingerprints);
        Assert.Equal(_publisher.Summary, result.Remediation);
    }

    [Fact]
    public async Task ReportSpam_AlreadyConvicted_UnchangedButPublishesAgain()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Spam), CancellationToken.None);

        var again = await service.ReportAsync(Report(ReportKind.Spam, Spam), CancellationToken.None);

        Assert.False(again.Changed);
        Assert.Equal(2, _publisher.Events.Count);
        Assert.Equal(2, (await _store.GetAsync(again.Fingerprints[0], CancellationToken.None))?.Reports);
    }

    [Fact]
    public async Task ReportHam_AfterConviction_ReversesAndPublishesReversed()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Spam), CancellationToken.None);

        var result = await service.ReportAsync(
            Report(ReportKind.Ham, Spam, "user:rcpt@example.test"), CancellationToken.None);
        var rescan = await service.ScanAsync(Scan(Spam), CancellationToken.None);

        Assert.True(result.Changed);
        Assert.Equal(FingerprintEventKind.Reversed, _publisher.Events[^1].Kind);
        Assert.Equal(Gateway.V1.Action.Accept, rescan.Verdict.Action);
        Assert.Empty(rescan.Matched);
    }

    [Fact]
    public async Task ReportHam_NeverConvicted_Unchanged()
    {
        var result = await Service().ReportAsync(Report(ReportKind.Ham, Spam), CancellationToken.None);

        Assert.False(result.Changed);
        Assert.Equal(FingerprintEventKind.Reversed, Assert.Single(_publisher.Events).Kind);
    }

    [Fact]
    public async Task Report_MessageWithoutFingerprints_ChangesNothingAndPublishesNothing()
    {
        var result = await Service().ReportAsync(
            Report(ReportKind.Spam, TestMessages.Bytes(TestMessages.Plain("hi"))), CancellationToken.None);

        Assert.False(result.Changed);
        Assert.Empty(result.Fingerprints);
        Assert.Null(result.Remediation);
        Assert.Empty(_publisher.Events);
    }

    [Fact]
    public async Task ReportSpam_OnlyAttachmentFingerprints_StoresButPublishesNothing()
    {
        var raw = "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: image/gif\n" +
            "Content-Transfer-Encoding: base64\n\nR0lGODlhAQABAAAAACw=\n--b--\n";

        var result = await Service().ReportAsync(
            Report(ReportKind.Spam, TestMessages.Bytes(raw)), CancellationToken.None);

        Assert.True(result.Changed);
        Assert.Null(result.Remediation);
        Assert.Empty(_publisher.Events);
    }

    [Fact]
    public async Task ReportSpam_AsynchronousPublisher_LeavesRemediationEmpty()
    {
        _publisher.Summary = null;

        var result = await Service().ReportAsync(Report(ReportKind.Spam, Spam), CancellationToken.None);

        Assert.Null(result.Remediation);
        Assert.Single(_publisher.Events);
    }

    [Fact]
    public async Task Report_UnspecifiedKind_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Service().ReportAsync(Report(ReportKind.Unspecified, Spam), CancellationToken.None));
    }

    [Fact]
    public async Task Report_PublisherFails_PropagatesAfterStoring()
    {
        _publisher.Failure = new InvalidOperationException("bus down");

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Service().ReportAsync(Report(ReportKind.Spam, Spam), CancellationToken.None));
        var scan = await Service().ScanAsync(Scan(Spam), CancellationToken.None);

        Assert.Equal(Gateway.V1.Action.Reject, scan.Verdict.Action);
    }

    [Fact]
    public async Task Fingerprint_Message_ReturnsFingerprintsAndMessageIdWithoutLookup()
    {
        _store.Unavailable = true;

        var result = await Service().FingerprintAsync(
            new FingerprintRequest { Message = ByteString.CopyFrom(Spam) }, CancellationToken.None);

        Assert.Equal(2, result.Fingerprints.Count);
        Assert.Equal("m2@example.test", result.MessageId);
    }
}
