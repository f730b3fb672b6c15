using Gateway.Ctl.Cli;
using Gateway.Testing;
using Xunit;

namespace Gateway.Ctl.Tests;

public sealed class ConnectionTests
{
    [Fact]
    public async Task Queue_NothingListening_ExitsFourWithAClearSentence()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";

        var run = await CliRun.RunAsync("--admin", url, "queue");

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Equal(
            $"gatewayctl: cannot reach the gateway admin API at {url}: connection refused "
            + "(is the gateway running? set --admin or GATEWAY_ADMIN)",
            run.Error.Trim());
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task Queue_AdminFromEnvironment_IsUsed()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var environment = new Dictionary<string, string> { ["GATEWAY_ADMIN"] = url };

        var run = await CliRun.RunAsync(environment, "queue");

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains($"at {url}:", run.Error);
    }

    [Fact]
    public async Task Queue_WrongServer404_ExitsFiveAndPointsAtAdminPort()
    {
        await using var api = new FakeAdminApi();

        var run = await CliRun.RunAsync("--admin", api.Url, "queue");

        Assert.Equal(ExitCodes.ServerError, run.ExitCode);
        Assert.Contains("has no GET /api/v1/queue (404 Not Found)", run.Error);
    }

    [Fact]
    public async Task Queue_ServerFails500_ExitsFive()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 500, """{"error":"spool unreadable"}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "queue");

        Assert.Equal(ExitCodes.ServerError, run.ExitCode);
        Assert.Contains("failed on GET /api/v1/queue (500 Internal Server Error): spool unreadable", run.Error);
    }

    [Fact]
    public async Task Queue_AnswerNotJson_ExitsSeven()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 200, "<html>hello</html>");

        var run = await CliRun.RunAsync("--admin", api.Url, "queue");

        Assert.Equal(ExitCodes.BadResponse, run.ExitCode);
        Assert.Contains("not the expected JSON", run.Error);
    }
}
