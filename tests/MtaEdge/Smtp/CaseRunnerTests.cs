using Gateway.MtaEdge.Tests.Smtp.Cases;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;
using Xunit.Sdk;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>The case runner itself: it must fail when a transcript does not hold, or it proves nothing.</summary>
public sealed class CaseRunnerTests
{
    [Fact]
    public void Parse_EveryLineKind()
    {
        var file = CaseFile.Parse(
            "t.case",
            "# what it checks\n# more\n> EHLO a\n>> A\\r\\n\\0\\t\\\\\\x41ü\n>>> 3  b\\r\\n\n" +
            "< 250|5\n<<< 2 452\n<quiet 100\n<close\n");

        Assert.Equal("what it checks", file.Description);
        Assert.Equal(7, file.Steps.Count);
        Assert.Equal("EHLO a\r\n"u8.ToArray(), file.Steps[0].Bytes);
        Assert.Equal(new byte[] { (byte)'A', 13, 10, 0, 9, (byte)'\\', 0x41, 0xC3, 0xBC }, file.Steps[1].Bytes);
        Assert.Equal((3, " b\r\n"), (file.Steps[2].Count, System.Text.Encoding.ASCII.GetString(file.Steps[2].Bytes)));
        Assert.Equal(new[] { "250", "5" }, file.Steps[3].Codes);
        Assert.Equal((2, "452"), (file.Steps[4].Count, file.Steps[4].Codes[0]));
        Assert.Equal(100, file.Steps[5].Milliseconds);
        Assert.Equal(CaseStepKind.ExpectClose, file.Steps[6].Kind);
    }

    [Theory]
    [InlineData(">> \\q")]
    [InlineData(">> \\x4")]
    [InlineData("<<< x 250")]
    [InlineData("< 25a")]
    [InlineData("? what")]
    public void Parse_BadLine_Refused(string line) =>
        Assert.Throws<FormatException>(() => CaseFile.Parse("bad.case", line));

    [Fact]
    public async Task Run_GoodTranscript_Passes()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await CaseRunner.RunAsync(
            CaseFile.Parse(
                "good.case",
                "> EHLO c\n< 250\n>> NOOP\\r\\nNOOP\\r\\n\n<<< 2 2\n> BOGUS\n< 500\n<quiet 50\n"),
            server.EndPoint);
    }

    [Theory]
    [InlineData("wrong code", "> EHLO c\n< 550\n")]
    [InlineData("an extra reply", "> EHLO c\n< 250\n>> NOOP\\r\\nNOOP\\r\\n\n< 250\n")]
    [InlineData("not quiet", "> EHLO c\n< 250\n> NOOP\n<quiet 2000\n")]
    [InlineData("no close", "> EHLO c\n< 250\n<close\n")]
    public async Task Run_TranscriptThatDoesNotHold_Fails(string what, string transcript)
    {
        _ = what;
        await using var server = await TestSmtpServer.StartAsync();

        await Assert.ThrowsAnyAsync<XunitException>(
            () => CaseRunner.RunAsync(CaseFile.Parse("bad.case", transcript), server.EndPoint));
    }
}
