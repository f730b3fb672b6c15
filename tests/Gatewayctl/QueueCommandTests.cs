using Gateway.Ctl.Cli;
using Xunit;

namespace Gateway.Ctl.Tests;

public sealed class QueueCommandTests
{
    private const string Listing = """
        {"status":{"messages":2,"recipientsPending":3,"oldestAgeSeconds":"3725"},
         "counts":{"newMessages":1,"activeMessages":0,"deferredMessages":1,"recipientsPending":3,
                   "recipientsDelivered":1,"recipientsFailed":0},
         "messages":[
           {"queueId":"Q1","state":"QUEUED_MESSAGE_STATE_DEFERRED","mailFrom":"ann@example.net",
            "receivedAt":"2020-01-01T00:00:00Z","size":"1234","attempts":2,
            "recipients":[{"address":"bob@example.test","state":"QUEUED_RECIPIENT_STATE_PENDING"},
                          {"address":"carl@example.test","state":"QUEUED_RECIPIENT_STATE_PENDING"},
                          {"address":"dora@example.test","state":"QUEUED_RECIPIENT_STATE_DELIVERED"}]},
           {"queueId":"Q2","state":"QUEUED_MESSAGE_STATE_NEW","mailFrom":"",
            "receivedAt":"2020-01-01T00:00:00Z","size":"99",
            "recipients":[{"address":"ann@example.test","state":"QUEUED_RECIPIENT_STATE_PENDING"}]}],
         "truncated":true}
        """;

    [Fact]
    public async Task Queue_ClusterEdgeTotalsOnly_SaysTotalsAndThatNoMessagesAreListed()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 200, """{"status":{"messages":4,"recipientsPending":5}}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "queue");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var lines = run.Out.Trim().Split(Environment.NewLine);
        Assert.StartsWith("4 messages queued, 5 recipients pending", lines[0], StringComparison.Ordinal);
        Assert.Contains("totals only", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public async Task Queue_Busy_SaysCountsByStateAndListsMessages()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 200, Listing);

        var run = await CliRun.RunAsync("--admin", api.Url, "queue");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var lines = run.Out.Trim().Split(Environment.NewLine);
        Assert.Equal("2 messages queued, 3 recipients pending; the oldest has waited 1h 02m 05s.", lines[0]);
        Assert.Equal(
            "By state: 1 new, 0 active, 1 deferred; recipients: 3 pending, 1 delivered, 0 failed.", lines[1]);
        Assert.StartsWith("QUEUE ID  STATE", lines[2], StringComparison.Ordinal);
        Assert.Matches(
            @"^Q1\s+deferred\s+\d+d .*\s+1234\s+2\s+ann@example.net\s+bob@example.test \(\+1 more\)$", lines[3]);
        Assert.Matches(@"^Q2\s+new\s+.*<> \(report\)\s+ann@example.test$", lines[4]);
        Assert.Equal("(only the oldest 2 are listed)", lines[5]);
    }

    [Fact]
    public async Task Queue_Empty_SaysEmpty()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 200, "{}");

        var run = await CliRun.RunAsync("--admin", api.Url, "queue", "list");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.StartsWith("The queue is empty.", run.Out.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueList_StateAndLimit_SentAsQuery()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 200, "{}");

        var run = await CliRun.RunAsync("--admin", api.Url, "queue", "list", "deferred", "5");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("/api/v1/queue", Assert.Single(api.Requests).Path);
        Assert.Equal("?state=deferred&limit=5", api.Queries.Single());
    }

    [Theory]
    [InlineData("queue", "list", "stuck")]
    [InlineData("queue", "list", "0")]
    [InlineData("queue", "frobnicate")]
    [InlineData("queue", "show")]
    [InlineData("queue", "show", "../etc")]
    [InlineData("queue", "delete")]
    [InlineData("queue", "delete", "Q1", "bad/id")]
    [InlineData("queue", "delete", "all")]
    [InlineData("queue", "delete", "Q1", "ALL")]
    public async Task Queue_BadArguments_UsageErrorAndNoRequest(params string[] args)
    {
        await using var api = new FakeAdminApi();

        var run = await CliRun.RunAsync(["--admin", api.Url, .. args]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task QueueShow_Message_DescribesEnvelopeAndRecipients()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue/Q1", 200, """
            {"queueId":"Q1","state":"QUEUED_MESSAGE_STATE_DEFERRED","mailFrom":"ann@example.net",
             "receivedAt":"2020-01-01T00:00:00Z","nextAttemptAt":"2020-01-01T00:10:00Z","size":"1234","attempts":2,
             "clientAddress":"192.0.2.7","clientHelo":"mx.example.net","messageId":"<m@x>","dsnReturn":"HDRS",
             "recipients":[{"address":"bob@example.test","state":"QUEUED_RECIPIENT_STATE_PENDING",
                            "lastResult":"451 4.4.1 No answer","dsnNotify":"FAILURE"}]}
            """);

        var run = await CliRun.RunAsync("--admin", api.Url, "queue", "show", "Q1");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("State:      deferred (2 attempts so far, next attempt 2020-01-01 00:10:00Z)", run.Out);
        Assert.Contains("Client:     192.0.2.7 (HELO mx.example.net)", run.Out);
        Assert.Contains("DSN:        RET=HDRS ENVID=-", run.Out);
        Assert.Contains("  bob@example.test  pending   [NOTIFY=FAILURE]  451 4.4.1 No answer", run.Out);
    }

    [Fact]
    public async Task QueueShow_NotQueued_ServerErrorWithItsReason()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue/Q9", 404, """{"error":"no message Q9 in the queue"}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "queue", "show", "Q9");

        Assert.Equal(ExitCodes.ServerError, run.ExitCode);
        Assert.Contains("no message Q9 in the queue", run.Error);
    }

    [Fact]
    public async Task QueueRetry_Ids_OnePostEach()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/queue/Q1/retry", 200, """{"action":"retry","queueId":"Q1","count":1}""");
        api.Answer("POST", "/api/v1/queue/Q2/retry", 200, """{"action":"retry","queueId":"Q2","count":1}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "queue", "retry", "Q1", "Q2");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(
            ["Q1 will be tried again now.", "Q2 will be tried again now."], run.Out.Trim().Split(Environment.NewLine));
        Assert.All(api.Requests, r => Assert.Equal("POST", r.Method));
    }

    [Fact]
    public async Task QueueRetry_All_OnePost()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/queue/retry", 200, """{"action":"retry","count":7}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "queue", "retry", "all");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("7 messages will be tried again now.", run.Out.Trim());
    }

    [Fact]
    public async Task QueueDelete_Busy_ConflictReported()
    {
        await using var api = new FakeAdminApi();
        api.Answer(
            "DELETE", "/api/v1/queue/Q1", 409, """{"error":"Q1 is being delivered right now; try again"}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "queue", "delete", "Q1");

        Assert.Equal(ExitCodes.ServerError, run.ExitCode);
        Assert.Contains("409 Conflict", run.Error);
        Assert.Contains("being delivered right now", run.Error);
    }

    [Fact]
    public async Task QueueDelete_Id_DeleteSent()
    {
        await using var api = new FakeAdminApi();
        api.Answer("DELETE", "/api/v1/queue/Q1", 200, """{"action":"delete","queueId":"Q1","count":1}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "--json", "queue", "delete", "Q1");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("\"action\":\"delete\"", run.Out.Replace(" ", ""));
    }
}
