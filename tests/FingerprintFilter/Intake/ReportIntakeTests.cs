using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Intake;
using Gateway.FingerprintFilter.Learning;
using Gateway.FingerprintFilter.Scoring;
using Gateway.FingerprintFilter.Sharing;
using Gateway.FingerprintFilter.Store;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Intake;

/// <summary>Spam traps and the abuse mailbox: what the edge hands over at end of DATA, and what is learned.</summary>
public sealed class ReportIntakeTests
{
    private static CancellationToken Token => CancellationToken.None;

    private const string Trap = "trap@example.test";
    private const string Abuse = "abuse@example.test";

    private readonly MemoryFingerprintStore _store = new();
    private readonly MemoryReporterStore _reporters = new();
    private readonly RecordingEventPublisher _publisher = new();

    private static readonly string SpamText = TestMessages.Plain(TestMessages.CampaignBody(0), "Cheap pills");

    private (ReportIntake Intake, FingerprintFilterService Service) Build(
        Action<FingerprintFilterOptions>? configure = null)
    {
        var options = FingerprintFilterFactory.DefaultOptions();
        options.Intake.TrapAddresses.Add("<Trap@Example.Test>");
        options.Intake.AbuseAddresses.Add(Abuse);
        configure?.Invoke(options);
        var wrapped = Options.Create(options);
        var cache = new HotFingerprintCache(_store, wrapped, TimeProvider.System);
        var scorer = new ScanScorer(wrapped, new FingerprintAssessor(wrapped));
        var processor = new ReportProcessor(
            new ReportLearner(_store, _reporters, wrapped, NullLogger<ReportLearner>.Instance),
            scorer, cache, _publisher,
            new MemoryFeedLog(), wrapped, TimeProvider.System, NullLogger<ReportProcessor>.Instance);
        var intake = new ReportIntake(FingerprintFilterFactory.Calculator(options), processor, wrapped,
            NullLogger<ReportIntake>.Instance);
        return (intake, FingerprintFilterFactory.Service(_store, _publisher, options, _reporters, cache: cache));
    }

    private static IntakeRequest Request(string message, string mailFrom, params string[] recipients) => new()
    {
        QueueId = "Q1",
        Message = ByteString.CopyFrom(TestMessages.Crlf(TestMessages.Bytes(message))),
        MailFrom = mailFrom,
        Recipients = { recipients },
    };

    private static string FeedbackReport(string feedbackType, string reported) =>
        "From: fbl@isp.example\nTo: abuse@example.test\nSubject: FW: report\nMIME-Version: 1.0\n" +
        "Content-Type: multipart/report; report-type=feedback-report; boundary=\"arf\"\n\n" +
        "--arf\nContent-Type: text/plain\n\nThis is an abuse report.\n" +
        "--arf\nContent-Type: message/feedback-report\n\n" +
        $"Feedback-Type: {feedbackType}\nUser-Agent: Test/1.0\nVersion: 1\n\n" +
        "--arf\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n" + reported + "\n--arf--\n";

    private static string Forward(params string[] attached) =>
        "From: alice@example.test\nTo: abuse@example.test\nSubject: Fwd: spam\nMIME-Version: 1.0\n" +
        "Content-Type: multipart/mixed; boundary=\"fw\"\n\n" +
        "--fw\nContent-Type: text/plain\n\nPlease look at the attached message, I never asked for it.\n" +
        string.Concat(attached.Select(a => "--fw\nContent-Type: message/rfc822\n\n" + a + "\n")) + "--fw--\n";

    private async Task<Gateway.V1.Action> ScanAsync(FingerprintFilterService service, string message) =>
        (await service.ScanAsync(new ScanRequest
        {
            QueueId = "Q2",
            Message = ByteString.CopyFrom(TestMessages.Crlf(TestMessages.Bytes(message))),
        }, Token)).Verdict.Action;

    [Theory]
    [InlineData("trap@example.test", RecipientRole.Trap)]
    [InlineData("<TRAP@example.TEST>", RecipientRole.Trap)]
    [InlineData("Abuse@Example.Test", RecipientRole.Abuse)]
    [InlineData("alice@example.test", RecipientRole.Mailbox)]
    public void RoleOf_Recipient_IsCaseInsensitive(string recipient, RecipientRole role)
    {
        Assert.Equal(role, Build().Intake.RoleOf(recipient));
    }

    [Fact]
    public async Task Intake_TrapHit_ConvictsAtOnceConsumesTheTrapOnlyAndLaterCopiesAreRefused()
    {
        var (intake, service) = Build();

        var result = await intake.IntakeAsync(Request(SpamText, "spammer@bad.example", "bob@example.test", Trap),
            Token);

        Assert.Equal([Trap], result.ConsumedRecipients);
        var report = Assert.Single(result.Reports);
        Assert.True(report.Convicted);
        Assert.Equal("trap:trap@example.test", Assert.Single(_publisher.Events).Source);
        Assert.Equal(Gateway.V1.Action.Reject, await ScanAsync(service, SpamText));
    }

    [Fact]
    public async Task Intake_FeedbackReportFromUnknownReporter_LearnsTheMessageWithLittleWeight()
    {
        var (intake, service) = Build();

        var result = await intake.IntakeAsync(Request(FeedbackReport("abuse", SpamText), "fbl@isp.example", Abuse),
            Token);

        Assert.Equal("feedback-report", result.Note);
        Assert.Empty(result.ConsumedRecipients);
        var report = Assert.Single(result.Reports);
        Assert.Equal(0.2, report.Weight);
        Assert.False(report.Convicted);
        var entry = await _store.GetAsync(report.Fingerprints[0], Token);
        Assert.Equal(1, entry!.ReportsBySource["abuse"]);
        Assert.Equal("abuse:fbl@isp.example", entry.LastSource);
        Assert.Equal(Gateway.V1.Action.Accept, await ScanAsync(service, SpamText));
    }

    [Fact]
    public async Task Intake_FeedbackReportsFromFiveReporters_Convict()
    {
        var (intake, service) = Build();

        for (var i = 0; i < 5; i++)
        {
            await intake.IntakeAsync(Request(FeedbackReport("abuse", SpamText), $"fbl{i}@isp.example", Abuse),
                Token);
        }

        Assert.Equal(Gateway.V1.Action.Reject, await ScanAsync(service, SpamText));
    }

    [Fact]
    public async Task Intake_NotSpamFeedback_IsAHamReport()
    {
        var (intake, _) = Build();

        var result = await intake.IntakeAsync(Request(FeedbackReport("not-spam", SpamText), "fbl@isp.example", Abuse),
            Token);

        var entry = await _store.GetAsync(Assert.Single(result.Reports).Fingerprints[0], Token);
        Assert.Equal(0.2, entry!.HamWeight, 6);
        Assert.Equal(0, entry.SpamWeight);
    }

    [Theory]
    [InlineData("auth-failure", "feedback-type-ignored")]
    [InlineData("", "feedback-type-missing")]
    public async Task Intake_FeedbackOfAnotherType_LearnsNothing(string type, string note)
    {
        var (intake, _) = Build();

        var result = await intake.IntakeAsync(Request(FeedbackReport(type, SpamText), "fbl@isp.example", Abuse),
            Token);

        Assert.Equal(note, result.Note);
        Assert.Empty(result.Reports);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task Intake_ForwardWithTwoAttachedMessages_LearnsBothFromTheAuthenticatedUser()
    {
        var (intake, _) = Build();
        var request = Request(Forward(SpamText, TestMessages.Plain(TestMessages.RandomText(7), "Other")),
            "alice@example.test", Abuse);
        request.AuthenticatedUser = "Alice";

        var result = await intake.IntakeAsync(request, Token);

        Assert.Equal("forward", result.Note);
        Assert.Equal(2, result.Reports.Count);
        var entry = await _store.GetAsync(result.Reports[1].Fingerprints[0], Token);
        Assert.Equal("abuse:auth:alice", entry!.LastSource);
    }

    [Fact]
    public async Task Intake_AbuseMailWithoutAttachedMessage_LearnsNothing()
    {
        var (intake, _) = Build();

        var complaint = TestMessages.Plain("I got spam again, please stop it!");
        var result = await intake.IntakeAsync(Request(complaint, "a@x.example", Abuse), Token);

        Assert.Equal("no-reported-message", result.Note);
        Assert.Empty(result.Reports);
    }

    [Fact]
    public async Task Intake_AbuseNotForDelivery_IsConsumed()
    {
        var (intake, _) = Build(o => o.Intake.DeliverAbuseReports = false);

        var result = await intake.IntakeAsync(Request(Forward(SpamText), "a@x.example", Abuse, "bob@example.test"),
            Token);

        Assert.Equal([Abuse], result.ConsumedRecipients);
    }

    [Fact]
    public async Task Intake_NoIntakeRecipient_DoesNothing()
    {
        var (intake, _) = Build();

        var result = await intake.IntakeAsync(Request(SpamText, "a@x.example", "bob@example.test"), Token);

        Assert.Equal("no-intake-recipient", result.Note);
        Assert.Empty(result.Reports);
        Assert.Empty(result.ConsumedRecipients);
    }

    [RequiresFact(TestRequirements.Shared)]
    public async Task Intake_MimeKitsSampleFeedbackReport_LearnsTheEmbeddedSpam()
    {
        var (intake, _) = Build(o => o.MinTextChars = 20);
        var raw = await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.CorpusDir!, "mime-edge", "00111.eml"));

        var result = await intake.IntakeAsync(new IntakeRequest
        {
            QueueId = "Q",
            Message = ByteString.CopyFrom(raw),
            MailFrom = "abusedesk@example.com",
            Recipients = { Abuse },
        }, Token);

        Assert.Equal("feedback-report", result.Note);
        Assert.NotEmpty(Assert.Single(result.Reports).Fingerprints);
    }
}
