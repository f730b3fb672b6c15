using System.Text;
using Gateway.Ctl.Cli;
using Xunit;

namespace Gateway.Ctl.Tests;

public sealed class ReportCommandTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task ReportSpam_MboxFile_PostsMessageWithoutFromLine()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/report/spam", 200, SampleMessages.SpamLearned);
        var file = _files.Write("m.mbox", SampleMessages.MboxLine + SampleMessages.Message);

        var run = await CliRun.RunAsync("--admin", api.Url, "report", "spam", file);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(SampleMessages.Message, Encoding.UTF8.GetString(request.Body));
        Assert.Equal("message/rfc822", request.ContentType);
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task ReportSpam_PlainFile_PostsBytesUnchanged()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/report/spam", 200, SampleMessages.SpamLearned);
        var bytes = Encoding.UTF8.GetBytes(SampleMessages.Message.Replace("\n", "\r\n", StringComparison.Ordinal));
        var file = _files.Write("m.eml", bytes);

        var run = await CliRun.RunAsync("report", "spam", file, "--admin", api.Url);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(bytes, Assert.Single(api.Requests).Body);
    }

    [Fact]
    public async Task ReportSpam_Learned_SaysFingerprintsChangeAndRemediation()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/report/spam", 200, SampleMessages.SpamLearned);
        var file = _files.Write("m.eml", SampleMessages.Message);

        var run = await CliRun.RunAsync("--admin", api.Url, "report", "spam", file);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains($"{file}: reported as spam; 2 fingerprints learned:", run.Out);
        Assert.Contains("    x1:aa11", run.Out);
        Assert.Contains("    x2:bb22", run.Out);
        Assert.Contains("The known-spam store changed: these fingerprints are now convicted.", run.Out);
        Assert.Contains("Remediation: 4 delivered copies found; 3 moved to Junk, 1 failed, 0 skipped.", run.Out);
        Assert.Equal(string.Empty, run.Error);
    }

    [Fact]
    public async Task ReportHam_UnchangedWithoutCopies_SaysNothingToDo()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/report/ham", 200,
            """{"fingerprints":["x1:aa11"],"changed":false,"remediation":{}}""");
        var file = _files.Write("m.eml", SampleMessages.Message);

        var run = await CliRun.RunAsync("--admin", api.Url, "report", "ham", file);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("/api/v1/report/ham", Assert.Single(api.Requests).Path);
        Assert.Contains("reported as ham; 1 fingerprint learned:", run.Out);
        Assert.Contains("The known-spam store did not change: these fingerprints were not convicted.", run.Out);
        Assert.Contains("Remediation: no delivered copies of it were recorded, so nothing was moved back.", run.Out);
    }

    [Fact]
    public async Task ReportSpam_NoFingerprints_SaysNothingWasLearnedAndNothingElse()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/report/spam", 200, """{"changed":false}""");
        var file = _files.Write("short.eml", SampleMessages.Message);

        var run = await CliRun.RunAsync("--admin", api.Url, "report", "spam", file);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("computed no fingerprints", run.Out);
        Assert.Contains("Nothing was learned", run.Out);
        Assert.DoesNotContain("already convicted", run.Out);
    }

    [Fact]
    public async Task ReportSpam_NoRemediationInAnswer_SaysNoneRan()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/report/spam", 200, """{"fingerprints":["x1:aa11"],"changed":true}""");
        var file = _files.Write("m.eml", SampleMessages.Message);

        var run = await CliRun.RunAsync("--admin", api.Url, "report", "spam", file);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("No remediation ran in this call", run.Out);
    }

    [Fact]
    public async Task ReportSpam_SeveralFiles_PostsEachAndDescribesEach()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/report/spam", 200, SampleMessages.SpamLearned);
        var first = _files.Write("a.eml", SampleMessages.Message);
        var second = _files.Write("b.eml", SampleMessages.Message.Replace("m1@", "m2@", StringComparison.Ordinal));

        var run = await CliRun.RunAsync("--admin", api.Url, "report", "spam", first, second);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(2, api.Requests.Count);
        Assert.Contains($"{first}: reported as spam", run.Out);
        Assert.Contains($"{second}: reported as spam", run.Out);
    }

    [Fact]
    public async Task ReportSpam_OneFileMissing_ExitsThreeAndSendsNothing()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/report/spam", 200, SampleMessages.SpamLearned);
        var present = _files.Write("a.eml", SampleMessages.Message);
        var missing = Path.Combine(_files.Directory, "nope.eml");

        var run = await CliRun.RunAsync("--admin", api.Url, "report", "spam", present, missing);

        Assert.Equal(ExitCodes.InputFile, run.ExitCode);
        Assert.Contains($"gatewayctl: {missing}: no such file.", run.Error);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task ReportSpam_EmptyFile_ExitsThree()
    {
        var file = _files.Write("empty.eml", SampleMessages.MboxLine);

        var run = await CliRun.RunAsync("--admin", "http://127.0.0.1:1", "report", "spam", file);

        Assert.Equal(ExitCodes.InputFile, run.ExitCode);
        Assert.Contains("holds no message", run.Error);
    }

    [Fact]
    public async Task ReportSpam_ServerRefuses_ExitsFiveWithItsErrorText()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/report/spam", 400, """{"error":"the message has no header section"}""");
        var file = _files.Write("m.eml", SampleMessages.Message);

        var run = await CliRun.RunAsync("--admin", api.Url, "report", "spam", file);

        Assert.Equal(ExitCodes.ServerError, run.ExitCode);
        Assert.Contains(
            $"refused POST /api/v1/report/spam (400 Bad Request): the message has no header section", run.Error);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task ReportSpam_Json_PrintsTheAnswerAsIs()
    {
        await using var api = new FakeAdminApi();
        api.Answer("POST", "/api/v1/report/spam", 200, """{"fingerprints":["x1:aa11"],"changed":true}""");
        var file = _files.Write("m.eml", SampleMessages.Message);

        var run = await CliRun.RunAsync("--json", "--admin", api.Url, "report", "spam", file);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("""{"fingerprints":["x1:aa11"],"changed":true}""", run.Out.Trim());
    }
}
