using System.Text;
using System.Text.Json;
using Gateway.Ctl.Cli;
using Gateway.Ctl.Commands;
using Xunit;

namespace Gateway.Ctl.Tests;

public sealed class SenderCommandsTests
{
    private const string AddressProfile = """
        {"subject":"192.0.2.7","kind":"address","tier":"SENDER_TIER_BLOCKED","tierSource":"dynamic",
         "dynamicTier":"SENDER_TIER_BLOCKED","dynamicTierSince":"2030-01-07T10:05:00Z",
         "dynamicTierReason":"directory harvest: 10 unknown of 12 recipients in 10m",
         "statistics":{"firstSeen":"2030-01-07T10:00:00Z","lastSeen":"2030-01-07T10:05:00Z","connections":"3",
           "messages":"2","recipients":"2","unknownRecipients":"10","spamMessages":"1","bytes":"2048",
           "unknownRecipientRatio":0.8333,"spamRatio":0.5,"messagesThisHour":"2","hourlyAverage":1.5},
         "reputation":-21,"networkReputation":-21,"combinedReputation":-31.5,
         "limits":{"concurrentConnections":"0","connectionsPerWindow":"0","connectionWindowSeconds":"60",
           "messagesPerConnection":"0","recipientsPerMessage":"0","messagesPerHour":"0","bytesPerHour":"0",
           "tarpitDelayMs":"0"},
         "history":[{"at":"2030-01-07T10:05:00Z","from":"SENDER_TIER_PROBATION","to":"SENDER_TIER_BLOCKED",
           "reason":"directory harvest: 10 unknown of 12 recipients in 10m","by":"dynamic"}],
         "listedBy":["dnsbl.test (127.0.0.2, weight 1)"],"openConnections":"1"}
        """;

    private const string ApprovedNetwork = """
        {"subject":"198.51.100.0/24","kind":"network","tier":"SENDER_TIER_TRUSTED","tierSource":"admin",
         "override":{"subject":"198.51.100.0/24","tier":"SENDER_TIER_TRUSTED","until":"2030-06-30T00:00:00Z",
           "setAt":"2030-01-07T10:00:00Z","reason":"partner relay","actor":"gatewayctl:root"},
         "limits":{"concurrentConnections":"50","connectionsPerWindow":"-1","connectionWindowSeconds":"60",
           "messagesPerConnection":"1000","recipientsPerMessage":"1000","messagesPerHour":"-1","bytesPerHour":"-1"},
         "history":[{"at":"2030-01-07T10:00:00Z","from":"SENDER_TIER_UNSPECIFIED","to":"SENDER_TIER_TRUSTED",
           "reason":"partner relay (until 2030-06-30 00:00:00Z)","by":"admin:gatewayctl:root"}]}
        """;

    [Fact]
    public async Task SenderShow_Address_TierReasonTrafficAndHistory()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/sender", 200, AddressProfile);

        var run = await CliRun.RunAsync("--admin", api.Url, "sender", "show", "192.0.2.7");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("192.0.2.7 (address): tier blocked (dynamic)", lines[0]);
        Assert.Equal(
            "earned tier: blocked since 2030-01-07 10:05:00Z: directory harvest: 10 unknown of 12 recipients in 10m",
            lines[1]);
        Assert.Contains("reputation: -21 (address), -21 (network), -31.5 combined", lines);
        Assert.Contains("listed by: dnsbl.test (127.0.0.2, weight 1)", lines);
        Assert.Contains("seen: first 2030-01-07 10:00:00Z, last 2030-01-07 10:05:00Z, 1 connection open", lines);
        Assert.Contains(lines, l => l.StartsWith(
            "traffic: 2 messages, 2 recipients, 1 spam (50%), 10 unknown recipients (83.3%)",
                StringComparison.Ordinal));
        Assert.Equal("Tier changes (newest first):", lines[^2]);
        Assert.Equal(
            "2030-01-07 10:05:00Z  probation -> blocked  by dynamic: "
            + "directory harvest: 10 unknown of 12 recipients in 10m",
            lines[^1]);
        Assert.Equal("GET", Assert.Single(api.Requests).Method);
    }

    [Fact]
    public async Task SenderApprove_UntilAndReason_PostedAndSaid()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/sender/approve", 200, ApprovedNetwork);

        var run = await CliRun.RunAsync(
            "--admin", api.Url, "sender", "approve", "198.51.100.0/24", "--until", "2030-06-30", "--reason",
                "partner relay");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        using var body = JsonDocument.Parse(Encoding.UTF8.GetString(request.Body));
        Assert.Equal("198.51.100.0/24", body.RootElement.GetProperty("subject").GetString());
        Assert.Equal("2030-06-30T00:00:00Z", body.RootElement.GetProperty("until").GetString());
        Assert.Equal("partner relay", body.RootElement.GetProperty("reason").GetString());
        Assert.StartsWith("gatewayctl:", body.RootElement.GetProperty("actor").GetString(), StringComparison.Ordinal);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Approved 198.51.100.0/24 until 2030-06-30 00:00:00Z.", lines[0]);
        Assert.Equal("198.51.100.0/24 (network): tier trusted (admin)", lines[1]);
        Assert.Equal(
            "administrator: trusted until 2030-06-30 00:00:00Z, set 2030-01-07 10:00:00Z "
            + "by gatewayctl:root: partner relay",
            lines[2]);
        Assert.Contains(lines, l => l.StartsWith("limits: 50 concurrent connections, unlimited connections per 60s",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task SenderBlock_SpanUntil_PostedAsAnAbsoluteTime()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/sender/block", 200,
            """{"subject":"spam.example","kind":"domain","tier":"SENDER_TIER_BLOCKED"}""");
        var before = DateTimeOffset.UtcNow;

        var run = await CliRun.RunAsync("--admin", api.Url, "--json", "sender", "block", "spam.example", "--until",
            "12h");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var body = JsonDocument.Parse(Encoding.UTF8.GetString(Assert.Single(api.Requests).Body));
        var until = DateTimeOffset.Parse(body.RootElement.GetProperty("until").GetString()!,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(until, before.AddHours(12).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12).AddMinutes(1));
        Assert.Contains("\"SENDER_TIER_BLOCKED\"", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SenderReset_ServerRefusesTheSubject_ExitsFiveWithItsWords()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/sender/reset", 400,
            """{"error":"'not a subject!' is neither an IP address, a CIDR network nor a domain name"}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "sender", "reset", "not a subject!");

        Assert.Equal(ExitCodes.ServerError, run.ExitCode);
        Assert.Contains("400 Bad Request", run.Error, StringComparison.Ordinal);
        Assert.Contains("is neither an IP address", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "sender" }, "sender needs \"show\", \"approve\", \"block\" or \"reset\"")]
    [InlineData(new[] { "sender", "list" }, "sender needs \"show\"")]
    [InlineData(new[] { "sender", "show" }, "sender show takes exactly one address, network or domain.")]
    [InlineData(new[] { "sender", "block", "a.example", "b.example" }, "sender block takes exactly one")]
    [InlineData(new[] { "sender", "show", "a.example", "--until", "1d" },
        "--until is an option of sender approve and sender block.")]
    [InlineData(new[] { "sender", "show", "a.example", "--reason", "x" },
        "--reason is an option of sender approve, block and reset.")]
    [InlineData(new[] { "sender", "approve", "a.example", "--until", "someday" },
        "--until takes a date or time in UTC")]
    [InlineData(new[] { "sender", "approve", "a.example", "--until", "2001-01-01" },
        "--until 2001-01-01 is already past.")]
    [InlineData(new[] { "queue", "--reason", "x" }, "--until and --reason are options of the sender commands.")]
    public async Task Sender_BadCommandLine_ExitsTwoWithTheReason(string[] args, string reason)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"gatewayctl: {reason}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseUntil_Forms_AbsoluteUtc()
    {
        var now = new DateTimeOffset(2030, 1, 7, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(now.AddMinutes(90), SenderCommands.ParseUntil("90m", now).ToDateTimeOffset());
        Assert.Equal(now.AddDays(30), SenderCommands.ParseUntil("30d", now).ToDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2030, 6, 30, 18, 0, 0, TimeSpan.Zero),
            SenderCommands.ParseUntil("2030-06-30T20:00:00+02:00", now).ToDateTimeOffset());
    }

    [Fact]
    public async Task Help_ListsTheSenderCommands()
    {
        var run = await CliRun.RunAsync("--help");

        Assert.Contains("sender show SUBJECT", run.Out, StringComparison.Ordinal);
        Assert.Contains("sender approve SUBJECT [--until WHEN] [--reason TEXT]", run.Out, StringComparison.Ordinal);
    }
}
