using Gateway.MtaEdge.Delivery.Transfer;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

public sealed class SmtpReplyTests
{
    [Fact]
    public void Parse_MultiLineReply_KeepsEveryLineAndTheEnhancedCode()
    {
        var reply = SmtpReply.Parse(["250-2.0.0 mail.example.test", "250-8BITMIME", "250 SMTPUTF8"]);

        Assert.Equal(250, reply.Code);
        Assert.Equal("2.0.0", reply.EnhancedCode);
        Assert.Equal(["2.0.0 mail.example.test", "8BITMIME", "SMTPUTF8"], reply.Lines);
        Assert.True(reply.IsPositive);
    }

    [Theory]
    [InlineData("550 5.1.1 <x@example.test>: user unknown", 550, "5.1.1", false, true)]
    [InlineData("451 4.3.0 Temporary failure", 451, "4.3.0", true, false)]
    [InlineData("452 4.2.2 Mailbox full", 452, "4.2.2", true, false)]
    [InlineData("554 Transaction failed", 554, "", false, true)]
    [InlineData("250 5.0.0 class mismatch is ignored", 250, "", false, false)]
    [InlineData("550 5.1.10 three-digit detail", 550, "5.1.10", false, true)]
    [InlineData("550 5.1.1234 too long", 550, "", false, true)]
    [InlineData("354", 354, "", false, false)]
    public void Parse_SingleLine_ClassifiesCodeAndEnhancedCode(
        string line, int code, string enhanced, bool transient, bool permanent)
    {
        var reply = SmtpReply.Parse([line]);

        Assert.Equal(code, reply.Code);
        Assert.Equal(enhanced, reply.EnhancedCode);
        Assert.Equal(transient, reply.IsTransient);
        Assert.Equal(permanent, reply.IsPermanent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("25")]
    [InlineData("abc text")]
    [InlineData("650 out of range")]
    [InlineData("260 second digit out of range")]
    [InlineData("250_bad separator")]
    public void ParseCode_MalformedLine_ThrowsProtocolError(string line)
    {
        Assert.Throws<TransferProtocolException>(() => SmtpReply.ParseCode(line));
    }

    [Fact]
    public void Parse_MixedCodes_ThrowsProtocolError()
    {
        Assert.Throws<TransferProtocolException>(() => SmtpReply.Parse(["250-first", "550 second"]));
    }

    [Fact]
    public void ToString_RemovesControlCharactersAndJoinsLines()
    {
        var reply = SmtpReply.Parse(["550-5.7.1 bad\u0007bell", "550 second line"]);

        Assert.Equal("550 5.7.1 bad?bell second line", reply.ToString());
    }
}
