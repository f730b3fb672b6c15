using Gateway.Ctl.Cli;
using Xunit;

namespace Gateway.Ctl.Tests;

public sealed class TokenTests : IDisposable
{
    private const string Secret = "s3cr3t-token-value";

    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Token_FromOption_SentAsBearer()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 200, "{}");

        var run = await CliRun.RunAsync("--admin", api.Url, "--token", Secret, "queue");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("Bearer " + Secret, Assert.Single(api.Requests).Authorization);
    }

    [Fact]
    public async Task Token_FromEnvironment_SentAsBearer()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 200, "{}");
        var environment = new Dictionary<string, string>
        {
            ["GATEWAY_ADMIN"] = api.Url,
            ["GATEWAY_ADMIN_TOKEN"] = Secret,
        };

        var run = await CliRun.RunAsync(environment, "queue");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("Bearer " + Secret, Assert.Single(api.Requests).Authorization);
    }

    [Fact]
    public async Task Token_FromFile_TrimmedAndPreferredOverEnvironment()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 200, "{}");
        var tokenFile = _files.Write("token", Secret + "\n");
        var environment = new Dictionary<string, string> { ["GATEWAY_ADMIN_TOKEN"] = "other" };

        var run = await CliRun.RunAsync(environment, "--admin", api.Url, "--token-file", tokenFile, "queue");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("Bearer " + Secret, Assert.Single(api.Requests).Authorization);
    }

    [Fact]
    public async Task Token_Refused_ExitsSixWithoutPrintingTheToken()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 401, """{"error":"missing or wrong bearer token"}""");

        var run = await CliRun.RunAsync("--admin", api.Url, "--token", Secret, "queue");

        Assert.Equal(ExitCodes.Unauthorized, run.ExitCode);
        Assert.Contains("refused GET /api/v1/queue (401 Unauthorized): missing or wrong bearer token", run.Error);
        Assert.Contains("check the token", run.Error);
        Assert.DoesNotContain(Secret, run.Error + run.Out);
    }

    [Fact]
    public async Task Token_NoneGivenButRequired_SaysHowToGiveOne()
    {
        await using var api = new FakeAdminApi();
        api.Answer("GET", "/api/v1/queue", 401, string.Empty);

        var run = await CliRun.RunAsync("--admin", api.Url, "queue");

        Assert.Equal(ExitCodes.Unauthorized, run.ExitCode);
        Assert.Contains("it needs a token: set --token, --token-file or GATEWAY_ADMIN_TOKEN", run.Error);
    }

    [Fact]
    public async Task TokenFile_Missing_ExitsThree()
    {
        var run = await CliRun.RunAsync("--token-file", Path.Combine(_files.Directory, "none"), "queue");

        Assert.Equal(ExitCodes.InputFile, run.ExitCode);
        Assert.Contains("the token file", run.Error);
    }

    [Fact]
    public async Task Token_WithSpace_IsAUsageErrorThatDoesNotEchoIt()
    {
        var run = await CliRun.RunAsync("--token", "abc def", "queue");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.DoesNotContain("abc def", run.Error);
    }
}
