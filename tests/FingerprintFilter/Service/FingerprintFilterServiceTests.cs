using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Store;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.V1;
using Google.Protobuf;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Service;

/// <summary>The service's decisions over the in-memory store (the Redis store has its own tests).</summary>
public sealed class FingerprintFilterServiceTests
{
    private static CancellationToken Token => CancellationToken.None;

    private readonly MemoryFingerprintStore _store = new();
    private readonly RecordingEventPublisher _publisher = new();

    private static readonly byte[] Spam = TestMessages.Crlf(TestMessages.Bytes(
        TestMessages.WithAttachment(TestMessages.CampaignBody(0), "attached order form")));

    private FingerprintFilterService Service(FingerprintFilterOptions? options = null) =>
        FingerprintFilterFactory.Service(_store, _publisher, options);

    private static ScanRequest Scan(byte[] message, params string[] recipients) =>
        new()
        {
            QueueId = "Q1", Message = ByteString.CopyFrom(message), ClientIp = "192.0.2.1", Recipients = { recipients },
        };

    private static ReportRequest Report(ReportKind kind, byte[] message, string source = "admin") =>
        new() { Kind = kind, Message = ByteString.CopyFrom(message), Source = source };

    private static byte[] Plain(string body, string subject = "Hello") =>
        TestMessages.Crlf(TestMessages.Bytes(TestMessages.Plain(body, subject)));

    private static IEnumerable<string> OfKind(IEnumerable<string> fingerprints, string kind) =>
        fingerprints.Where(fp => FingerprintKinds.KindOf(fp) == kind);

    [Fact]
    public async Task Scan_UnknownContent_AcceptsCleanWithEveryKindAndNoXSpamFlag()
    {
        var result = await Service().ScanAsync(Scan(Spam), Token);

        Assert.Equal(Gateway.V1.Action.Accept, result.Verdict.Action);
        Assert.Equal(0, result.Verdict.SmtpCode);
        Assert.Equal(ScanClass.Clean, result.Classification);
        Assert.Equal(0, result.Score);
        Assert.Single(OfKind(result.Fingerprints, "t1"));
        Assert.Equal(32, OfKind(result.Fingerprints, "f1").Count());
        Assert.Single(OfKind(result.Fingerprints, "a1"));
        Assert.Single(OfKind(result.Fingerprints, "u1"));
        Assert.Empty(result.Matched);
        Assert.DoesNotContain(result.Headers, h => h.Name == "X-Spam-Flag");
        Assert.StartsWith("No, score=0.0", result.Headers.Single(h => h.Name == "X-Spam-Status").Value);
    }

    [Fact]
    public async Task Scan_AfterSpamReport_RejectsWith550And571()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Spam), Token);

        var copy = TestMessages.Crlf(TestMessages.Bytes(
            TestMessages.WithAttachment(TestMessages.CampaignBody(0), "attached order form", subject: "Other")));
        var result = await service.ScanAsync(Scan(copy), Token);

        Assert.Equal(Gateway.V1.Action.Reject, result.Verdict.Action);
        Assert.Equal(550, result.Verdict.SmtpCode);
        Assert.Equal("5.7.1", result.Verdict.EnhancedCode);
        Assert.Equal("Message content matches known spam", result.Verdict.Text);
        Assert.Equal("known-spam", result.Verdict.Reason);
        Assert.Equal(ScanClass.Spam, result.Classification);
        Assert.Equal(result.Fingerprints.OrderBy(f => f), result.Matched.OrderBy(f => f));
        Assert.Contains(result.Reasons, r => r.Rule == "exact-text" && r.Score == 10);
        Assert.Contains(result.Reasons, r => r.Rule == "fuzzy-text" && r.Share == 1);
    }

    [Fact]
    public async Task Scan_NearDuplicateOfReportedSpam_RejectsOnTheFuzzyDigest()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Plain(TestMessages.CampaignBody(0))), Token);

        // Another name, product, sentence and link: the exact digest differs, most shingles do not.
        var result = await service.ScanAsync(Scan(Plain(TestMessages.CampaignBody(5), "Re: offer")), Token);

        Assert.Equal(Gateway.V1.Action.Reject, result.Verdict.Action);
        Assert.DoesNotContain(result.Reasons, r => r.Rule == "exact-text");
        var fuzzy = Assert.Single(result.Reasons, r => r.Rule == "fuzzy-text");
        Assert.InRange(fuzzy.Share, 0.25, 1);
        Assert.Matches(@"^\d+ of 32 fuzzy components of text part 1 agree$", fuzzy.Detail);
        Assert.All(fuzzy.Fingerprints, fp => Assert.StartsWith("f1:", fp));
    }

    [Fact]
    public async Task Scan_UnrelatedTextOfSimilarLength_StaysClean()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Plain(TestMessages.CampaignBody(0))), Token);
        var ham = "The quarterly planning meeting moves to Thursday afternoon because the projector in the large " +
            "room is being repaired. Please bring the budget figures for your team and a short list of the three " +
            "risks you consider most urgent, so that we can agree on owners before the holidays. Minutes of the " +
            "last meeting are on the shared drive under planning, and comments on the draft roadmap are welcome " +
            "until Wednesday noon. If you cannot attend, send a deputy who can speak for your team's priorities.";

        var result = await service.ScanAsync(Scan(Plain(ham)), Token);

        Assert.Equal(ScanClass.Clean, result.Classification);
        Assert.Equal(Gateway.V1.Action.Accept, result.Verdict.Action);
    }

    [Fact]
    public async Task Scan_OnlyAttachmentMatches_AcceptsCleanAndListsTheMatch()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Spam), Token);
        var ham = TestMessages.Crlf(TestMessages.Bytes(TestMessages.WithAttachment(
            "Minutes of Tuesday's meeting are attached, please review them before Friday's call.",
            "attached order form")));

        var result = await service.ScanAsync(Scan(ham), Token);

        Assert.Equal(Gateway.V1.Action.Accept, result.Verdict.Action);
        Assert.Equal(ScanClass.Clean, result.Classification);
        Assert.StartsWith("a1:", Assert.Single(result.Matched));
        var reason = Assert.Single(result.Reasons);
        Assert.Equal("attachment", reason.Rule);
        Assert.Equal(0, reason.Score);
    }

    [Fact]
    public async Task Scan_OnlyLinkDomainMatches_NeverConvicts()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Plain(TestMessages.CampaignBody(0))), Token);
        var ham = "Our pharmacist reviewed the interaction question you raised and found nothing of concern; the " +
            "leaflet is at http://www.pills-direct.example/leaflets/interactions.pdf if you want to read it.";

        var result = await service.ScanAsync(Scan(Plain(ham)), Token);

        Assert.Equal(ScanClass.Clean, result.Classification);
        Assert.StartsWith("u1:", Assert.Single(result.Matched));
    }

    [Fact]
    public async Task Scan_SpamForTagDomain_AcceptsWithXSpamHeaders()
    {
        var options = FingerprintFilterFactory.DefaultOptions();
        options.Policy.Domains["tag.example"] = DomainPolicy.Tag;
        var service = Service(options);
        await service.ReportAsync(Report(ReportKind.Spam, Spam), Token);

        var result = await service.ScanAsync(Scan(Spam, "ann@TAG.example"), Token);

        Assert.Equal(Gateway.V1.Action.Accept, result.Verdict.Action);
        Assert.Equal("tagged-spam", result.Verdict.Reason);
        Assert.Equal(ScanClass.Spam, result.Classification);
        Assert.Equal(
            ["X-Spam-Flag", "X-Spam-Status", "X-Spam-Score", "X-Spam-Level"], result.Headers.Select(h => h.Name));
        Assert.Equal("YES", result.Headers[0].Value);
        Assert.Matches(
            @"^Yes, score=\d+\.\d required=10\.0 tests=FP_EXACT_TEXT,FP_FUZZY_TEXT", result.Headers[1].Value);
    }

    [Fact]
    public async Task Scan_SpamForRejectAndTagDomains_TagsForAllBecauseOneReplyAnswersEveryRecipient()
    {
        var options = FingerprintFilterFactory.DefaultOptions();
        options.Policy.Domains["tag.example"] = DomainPolicy.Tag;
        var service = Service(options);
        await service.ReportAsync(Report(ReportKind.Spam, Spam), Token);

        var mixed = await service.ScanAsync(Scan(Spam, "bob@reject.example", "ann@tag.example"), Token);
        var rejectOnly = await service.ScanAsync(Scan(Spam, "bob@reject.example"), Token);

        Assert.Equal(Gateway.V1.Action.Accept, mixed.Verdict.Action);
        Assert.Contains(mixed.Headers, h => h.Name == "X-Spam-Flag");
        Assert.Equal(Gateway.V1.Action.Reject, rejectOnly.Verdict.Action);
        Assert.Empty(rejectOnly.Headers);
    }

    [Fact]
    public async Task Scan_StoreUnavailable_TempFailsWith451And470()
    {
        _store.Unavailable = true;

        var result = await Service().ScanAsync(Scan(Spam), Token);

        Assert.Equal(Gateway.V1.Action.Tempfail, result.Verdict.Action);
        Assert.Equal(451, result.Verdict.SmtpCode);
        Assert.Equal("4.7.0", result.Verdict.EnhancedCode);
        Assert.Equal("fingerprint-store-unavailable", result.Verdict.Reason);
        Assert.NotEmpty(result.Fingerprints);
    }

    [Fact]
    public async Task Scan_StoreUnavailableAndFailOpen_Accepts()
    {
        _store.Unavailable = true;
        var options = FingerprintFilterFactory.DefaultOptions();
        options.FailOpen = true;

        var result = await Service(options).ScanAsync(Scan(Spam), Token);

        Assert.Equal(Gateway.V1.Action.Accept, result.Verdict.Action);
        Assert.Equal("fingerprint-store-unavailable", result.Verdict.Reason);
    }

    [Fact]
    public async Task Scan_Verdicts_CountedByVerdictLabel()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Spam), Token);
        var rejects = FingerprintFilterMetrics.Scans.WithLabels("reject").Value;
        var spam = FingerprintFilterMetrics.Classifications.WithLabels("spam").Value;
        var durations = FingerprintFilterMetrics.ScanDuration.Count;

        await service.ScanAsync(Scan(Spam), Token);

        // Other tests scan in parallel, so the counters may have moved further.
        Assert.True(FingerprintFilterMetrics.Scans.WithLabels("reject").Value >= rejects + 1);
        Assert.True(FingerprintFilterMetrics.Classifications.WithLabels("spam").Value >= spam + 1);
        Assert.True(FingerprintFilterMetrics.ScanDuration.Count >= durations + 1);
    }

    [Fact]
    public async Task Scan_MessageWithoutFingerprints_AcceptsWithoutLookup()
    {
        _store.Unavailable = true;

        var result = await Service().ScanAsync(Scan(TestMessages.Bytes(TestMessages.Plain("ok"))), Token);

        Assert.Equal(Gateway.V1.Action.Accept, result.Verdict.Action);
        Assert.Equal("no-fingerprints", result.Verdict.Reason);
        Assert.Empty(result.Fingerprints);
    }

    [Fact]
    public async Task Scan_GarbageInput_AcceptsWithoutThrowing()
    {
        var result = await Service().ScanAsync(Scan([0, 0xFF, 0x0A, 0x0D]), Token);

        Assert.Equal(Gateway.V1.Action.Accept, result.Verdict.Action);
    }

    [Fact]
    public async Task ReportSpam_Trap_ConvictsAtOnceAndPublishesEveryFingerprintWithGroups()
    {
        var result = await Service().ReportAsync(Report(ReportKind.Spam, Spam, "trap:spamtrap@example.test"),
            Token);

        Assert.True(result.Changed);
        Assert.True(result.Convicted);
        Assert.Equal(1, result.Weight);
        foreach (var fingerprint in result.Fingerprints)
        {
            var entry = await _store.GetAsync(fingerprint, Token);
            Assert.Equal(FingerprintState.Spam, entry?.Trusted);
            Assert.Equal(1, entry!.ReportsBySource["trap"]);
        }

        var published = Assert.Single(_publisher.Events);
        Assert.Equal(FingerprintEventKind.Convicted, published.Kind);
        Assert.Equal("trap:spamtrap@example.test", published.Source);
        Assert.False(string.IsNullOrEmpty(published.EventId));
        Assert.NotNull(published.At);
        Assert.Equal(1, published.Confidence);
        Assert.Equal(
            OfKind(result.Fingerprints, "t1").Concat(OfKind(result.Fingerprints, "f1")), published.Fingerprints);
        Assert.Equal(OfKind(result.Fingerprints, "a1").Concat(OfKind(result.Fingerprints, "u1")),
            published.SupportingFingerprints);
        var group = Assert.Single(published.Groups);
        Assert.Equal("f1", group.Kind);
        Assert.Equal(32, group.Fingerprints.Count);
        Assert.Equal(8, group.MinMatches);
        Assert.Equal(published, result.Event);
        Assert.Equal(_publisher.Summary, result.Remediation);
    }

    [Fact]
    public async Task ReportSpam_AlreadyConvicted_UnchangedButPublishesAgain()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Spam), Token);

        var again = await service.ReportAsync(Report(ReportKind.Spam, Spam), Token);

        Assert.False(again.Changed);
        Assert.True(again.Convicted);
        Assert.Equal(2, _publisher.Events.Count);
        Assert.Equal(2, (await _store.GetAsync(again.Fingerprints[0], Token))?.Reports);
    }

    [Fact]
    public async Task ReportHam_AdminAfterConviction_ReversesAndPublishesReversed()
    {
        var service = Service();
        await service.ReportAsync(Report(ReportKind.Spam, Spam), Token);

        var result = await service.ReportAsync(Report(ReportKind.Ham, Spam, "admin:carol"), Token);
        var rescan = await service.ScanAsync(Scan(Spam), Token);

        Assert.True(result.Changed);
        Assert.False(result.Convicted);
        Assert.Equal(FingerprintEventKind.Reversed, _publisher.Events[^1].Kind);
        Assert.Equal(Gateway.V1.Action.Accept, rescan.Verdict.Action);
        Assert.Equal(ScanClass.Clean, rescan.Classification);
        Assert.Equal("vouched", Assert.Single(rescan.Reasons).Rule);
    }

    [Fact]
    public async Task ReportHam_UserAgainstTrustedConviction_ChangesNothingAndCostsTheReporter()
    {
        var reporters = new MemoryReporterStore();
        var service = FingerprintFilterFactory.Service(_store, _publisher, reporters: reporters);
        await service.ReportAsync(Report(ReportKind.Spam, Spam), Token);

        var result = await service.ReportAsync(Report(ReportKind.Ham, Spam, "user:mallory@example.test"),
            Token);
        var rescan = await service.ScanAsync(Scan(Spam), Token);

        Assert.False(result.Changed);
        Assert.True(result.Convicted);
        Assert.Single(_publisher.Events);
        Assert.Equal(Gateway.V1.Action.Reject, rescan.Verdict.Action);
        Assert.Equal(1, (await reporters.GetAsync("user:mallory@example.test", Token)).Disagreed);
    }

    [Fact]
    public async Task ReportHam_NeverConvicted_UnchangedButPublishedForTrustedSource()
    {
        var result = await Service().ReportAsync(Report(ReportKind.Ham, Spam), Token);

        Assert.False(result.Changed);
        Assert.Equal(FingerprintEventKind.Reversed, Assert.Single(_publisher.Events).Kind);
    }

    [Fact]
    public async Task Report_MessageWithoutFingerprints_ChangesNothingAndPublishesNothing()
    {
        var result = await Service().ReportAsync(
            Report(ReportKind.Spam, TestMessages.Bytes(TestMessages.Plain("hi"))), Token);

        Assert.False(result.Changed);
        Assert.Empty(result.Fingerprints);
        Assert.Null(result.Remediation);
        Assert.Empty(_publisher.Events);
    }

    [Fact]
    public async Task ReportSpam_OnlyAttachmentFingerprints_StoresButConvictsAndPublishesNothing()
    {
        var raw = "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: image/gif\n" +
            "Content-Transfer-Encoding: base64\n\nR0lGODlhAQABAAAAACw=\n--b--\n";

        var result = await Service().ReportAsync(
            Report(ReportKind.Spam, TestMessages.Bytes(raw)), Token);

        Assert.False(result.Changed);
        Assert.False(result.Convicted);
        Assert.NotNull(await _store.GetAsync(Assert.Single(result.Fingerprints), Token));
        Assert.Null(result.Remediation);
        Assert.Empty(_publisher.Events);
    }

    [Fact]
    public async Task ReportSpam_AsynchronousPublisher_LeavesRemediationEmpty()
    {
        _publisher.Summary = null;

        var result = await Service().ReportAsync(Report(ReportKind.Spam, Spam), Token);

        Assert.Null(result.Remediation);
        Assert.Single(_publisher.Events);
    }

    [Fact]
    public async Task Report_UnspecifiedKind_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Service().ReportAsync(Report(ReportKind.Unspecified, Spam), Token));
    }

    [Fact]
    public async Task Report_PublisherFails_PropagatesAfterStoring()
    {
        _publisher.Failure = new InvalidOperationException("bus down");

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Service().ReportAsync(Report(ReportKind.Spam, Spam), Token));
        var scan = await Service().ScanAsync(Scan(Spam), Token);

        Assert.Equal(Gateway.V1.Action.Reject, scan.Verdict.Action);
    }

    [Fact]
    public async Task Fingerprint_Message_ReturnsFingerprintsAndMessageIdWithoutLookup()
    {
        _store.Unavailable = true;

        var result = await Service().FingerprintAsync(
            new FingerprintRequest { Message = ByteString.CopyFrom(Spam) }, Token);

        Assert.Equal(35, result.Fingerprints.Count);
        Assert.Equal("m2@example.test", result.MessageId);
    }
}
