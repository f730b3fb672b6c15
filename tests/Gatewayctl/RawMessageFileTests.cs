using System.Text;
using Gateway.Ctl.Input;
using Xunit;

namespace Gateway.Ctl.Tests;

public sealed class RawMessageFileTests
{
    [Theory]
    [InlineData("From a@b.test Mon Jan  1 00:00:00 2025\nSubject: x\n\nbody\n", "Subject: x\n\nbody\n")]
    [InlineData("From a@b.test Mon Jan  1 00:00:00 2025\r\nSubject: x\r\n", "Subject: x\r\n")]
    [InlineData("From: a@b.test\nSubject: x\n", "From: a@b.test\nSubject: x\n")]
    [InlineData("Subject: x\nFrom a line later\n", "Subject: x\nFrom a line later\n")]
    [InlineData("From only-a-separator", "")]
    public void StripMboxSeparator_LeadingFromLine_OnlyThatLineDropped(string input, string expected)
    {
        var result = RawMessageFile.StripMboxSeparator(Encoding.ASCII.GetBytes(input));

        Assert.Equal(expected, Encoding.ASCII.GetString(result));
    }

    [Fact]
    public void Read_Directory_SaysItIsADirectory()
    {
        var error = Assert.Throws<InputFileException>(() => RawMessageFile.Read(Path.GetTempPath()));

        Assert.Contains("is a directory", error.Message);
    }
}
