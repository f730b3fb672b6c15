using System.Globalization;
using Gateway.Ctl.Cli;
using Gateway.Ctl.Commands;
using Xunit;

namespace Gateway.Ctl.Tests;

public sealed class RemediationCommandTests
{
    private const string Page = """
        {"actions":[
          {"at":"2025-12-04T10:05:30Z","copyId":"t5h2k0-3fa","recipient":"alice@example.test",
           "store":"MAILBOX_STORE_KIND_IMAP","action":"move_to_junk","result":"done",
           "detail":"moved UID 7 from INBOX to Junk",
           "attempt":1},
          {"at":"2025-12-04T10:05:29Z","copyId":"t5h2k0-a1","recipient":"bob@example.test",
           "store":"MAILBOX_STORE_KIND_MAILDIR","action":"move_to_junk","result":"retrying",
           "detail":"cannot reach the store","attempt":1}],
         "truncated":true,"pending":"1"}
        """;

    [Fact]
    public async Task List_NoOptions_PrintsTheActionsNewestFirst()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/remediation/actions", 200, Page);

        var run = await CliRun.RunAsync("--admin", api.Url, "remediation", "list");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Empty(Assert.Single(api.Requests).Query);
        var lines = Lines(run.Out);
        Assert.Equal("2 actions, newest first:", lines[0]);
        Assert.Matches(
            @"^2025-12-04 10:05:30Z +t5h2k0-3fa +alice@example\.test +imap +move_to_junk +done +moved UID 7",
            lines[1]);
        Assert.Matches(
            @"^2025-12-04 10:05:29Z +t5h2k0-a1 +bob@example\.test +maildir +move_to_junk +retrying +cannot",
            lines[2]);
        Assert.Equal("More actions match: raise --limit or narrow --since.", lines[3]);
        Assert.Equal("1 action is waiting to be retried (a mailbox store down?).", lines[4]);
    }

    [Fact]
    public async Task List_SinceAgeAndLimit_SendsAnAbsoluteTimeAndTheLimit()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/remediation/actions", 200, """{"actions":[]}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "remediation", "list", "--since", "2h", "--limit=5");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var query = Assert.Single(api.Requests).Query;
        Assert.Equal("5", query["limit"]);
        var since = DateTimeOffset.Parse(query["since"], CultureInfo.InvariantCulture);
        var twoHoursAgo = DateTimeOffset.UtcNow.AddHours(-2);
        Assert.InRange(since, twoHoursAgo.AddMinutes(-1), twoHoursAgo.AddMinutes(1));
        Assert.Contains("No remediation actions recorded (in that time).", run.Out);
    }

    [Theory]
    [InlineData("2025-12-04T10:00:00Z", "2025-12-04T10:00:00Z")]
    [InlineData("2025-12-04T11:00:00+01:00", "2025-12-04T10:00:00Z")]
    public void ParseSince_Rfc3339_IsUtc(string value, string expected)
    {
        var since = RemediationListCommand.ParseSince(value, DateTimeOffset.UtcNow);

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), since);
    }

    [Theory]
    [InlineData(new[] { "remediation", "list", "--since", "yesterday" },
        "--since takes an RFC 3339 time (2025-12-04T10:00:00Z) or an age (90s, 30m, 2h, 7d), not \"yesterday\".")]
    [InlineData(new[] { "remediation", "list", "--limit", "0" },
        "--limit takes a whole number from 1 to 10000, not \"0\".")]
    [InlineData(new[] { "remediation", "list", "extra" },
        "remediation list takes no arguments; filter with --since and --limit.")]
    [InlineData(new[] { "remediation" }, "remediation needs \"list\" or \"show\".")]
    [InlineData(new[] { "remediation", "undo" }, "remediation needs \"list\" or \"show\".")]
    [InlineData(new[] { "remediation", "show" }, "remediation show takes one copy id or Message-ID.")]
    [InlineData(new[] { "queue", "--limit", "3" }, "--since and --limit go with \"remediation list\" only.")]
    public async Task Remediation_BadCommandLine_ExitsTwoWithTheReason(string[] args, string reason)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"gatewayctl: {reason}", run.Error);
    }

    [Fact]
    public async Task Show_MessageId_IsEscapedAndTheCopiesAndActionsPrinted()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/remediation/copies", 200, """
            {"query":"<m/1@spam.test>",
             "copies":[{"copyId":"t5h2k0-3fa","state":"COPY_STATE_USER_RESTORED","lastAction":"locate: inbox",
                        "lastActionAt":"2025-12-04T11:00:00Z",
                        "record":{"recipient":"alice@example.test","store":"MAILBOX_STORE_KIND_IMAP","folder":"INBOX",
                                  "messageId":"<m/1@spam.test>","queueId":"Q1","size":"2048",
                                  "deliveredAt":"2025-12-04T10:00:00Z"}}],
             "actions":[{"at":"2025-12-04T11:00:00Z","copyId":"t5h2k0-3fa","recipient":"alice@example.test",
                         "action":"locate","result":"inbox","attempt":1,"detail":"the user took it back"},
                        {"at":"2025-12-04T10:05:30Z","copyId":"t5h2k0-3fa","recipient":"alice@example.test",
                         "action":"move_to_junk","result":"done","attempt":2,"detail":"moved"}]}
            """);

        var run = await CliRun.RunAsync("--admin", api.Url, "remediation", "show", "<m/1@spam.test>");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("<m/1@spam.test>", Assert.Single(api.Requests).Query["id"]);
        var lines = Lines(run.Out);
        Assert.Equal("Copy t5h2k0-3fa: alice@example.test (imap, INBOX)", lines[0]);
        Assert.Equal("Message-ID <m/1@spam.test>, queue Q1, 2048 bytes, delivered 2025-12-04 10:00:00Z", lines[1]);
        Assert.Equal("state: restored by the user; last action: locate: inbox at 2025-12-04 11:00Z", lines[2]);
        Assert.Equal("2 actions, newest first:", lines[3]);
        Assert.Matches(
            @"^2025-12-04 11:00:00Z +t5h2k0-3fa +alice@example\.test +locate +inbox +try 1 +the user", lines[4]);
        Assert.Matches(
            @"^2025-12-04 10:05:30Z +t5h2k0-3fa +alice@example\.test +move_to_junk +done +try 2 +moved$", lines[5]);
    }

    [Fact]
    public async Task Show_NothingKnown_SaysSo()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/remediation/copies", 200, """{"query":"t5h2k0-3fa"}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "remediation", "show", "t5h2k0-3fa");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.StartsWith("Nothing known about t5h2k0-3fa:", run.Out);
    }

    [Fact]
    public async Task Show_Json_PrintsTheAnswer()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/remediation/copies", 200, """{"query":"t5h2k0-3fa","copies":[]}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "--json", "remediation", "show", "t5h2k0-3fa");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("""{"query":"t5h2k0-3fa","copies":[]}""", run.Out.Trim());
    }

    [Fact]
    public async Task Show_BadId_ServerRefusal_ExitsFive()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/remediation/copies", 400, """{"error":"give a copy id or a Message-ID"}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "remediation", "show", "nonsense");

        Assert.Equal(ExitCodes.ServerError, run.ExitCode);
        Assert.Contains("give a copy id or a Message-ID", run.Error);
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
