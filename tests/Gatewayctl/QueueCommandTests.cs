using Gateway.Ctl.Cli;
using Xunit;

namespace Gateway.Ctl.Tests;

public sealed class QueueCommandTests
{
    [Fact]
    public async Task Queue_Busy_SaysCountsAndOldestAge()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 200, """{"messages":3,"recipientsPending":5,"oldestAgeSeconds":"3725"}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "queue");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("3 messages queued, 5 recipients pending; the oldest has waited 1h 02m 05s.", run.Out.Trim());
    }

    [Fact]
    public async Task Queue_Empty_SaysEmpty()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 200, "{}");

        var run = await CliRun.RunAsync("--admin", api.Url, "queue");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("The queue is empty.", run.Out.Trim());
    }

    [Fact]
    public async Task Queue_AdminWithPathPrefix_KeepsThePrefix()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/gw/api/v1/queue", 200, """{"messages":1,"recipientsPending":1,"oldestAgeSeconds":"7"}""");

        var run = await CliRun.RunAsync("--admin", api.Url + "/gw", "queue");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("1 message queued, 1 recipient pending; the oldest has waited 7s.", run.Out.Trim());
    }
}
