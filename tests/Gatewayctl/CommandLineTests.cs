using Gateway.Ctl.Cli;
using Xunit;

namespace Gateway.Ctl.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new string[0], "no command given.")]
    [InlineData(new[] { "frobnicate" }, "unknown command \"frobnicate\".")]
    [InlineData(new[] { "report" }, "report needs \"spam\" or \"ham\", then the message files.")]
    [InlineData(new[] { "report", "eggs", "a.eml" }, "report needs \"spam\" or \"ham\", then the message files.")]
    [InlineData(new[] { "report", "spam" }, "report spam needs at least one message file.")]
    [InlineData(new[] { "queue", "extra" }, "unknown queue command \"extra\": use list, show, retry or delete.")]
    [InlineData(new[] { "--bogus", "queue" }, "unknown option --bogus.")]
    [InlineData(new[] { "queue", "--admin" }, "option --admin needs a value.")]
    [InlineData(new[] { "--json=yes", "queue" }, "option --json takes no value.")]
    [InlineData(new[] { "--token", "a", "--token-file", "f", "queue" },
        "give either --token or --token-file, not both.")]
    [InlineData(new[] { "--timeout", "0", "queue" }, "--timeout takes whole seconds from 1 to 3600, not \"0\".")]
    [InlineData(new[] { "--admin", "ftp://host", "queue" },
        "the admin API address from --admin is not an http:// or https:// URL: \"ftp://host\".")]
    public async Task Run_BadCommandLine_ExitsTwoWithTheReason(string[] args, string reason)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"gatewayctl: {reason}", run.Error);
        Assert.Contains("gatewayctl --help", run.Error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Run_Help_PrintsUsageAndExitsZero(string option)
    {
        var run = await CliRun.RunAsync("report", option);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("usage: gatewayctl", run.Out);
        Assert.Contains("report spam FILE...", run.Out);
    }

    [Fact]
    public void Parse_OptionsAnywhereAndDoubleDash_SeparatesWords()
    {
        var line = CommandLineParser.Parse(["report", "--admin=http://h:1", "spam", "--", "--odd.eml"]);

        Assert.Equal("http://h:1", line.Admin);
        Assert.Equal(["report", "spam", "--odd.eml"], line.Words);
    }
}
