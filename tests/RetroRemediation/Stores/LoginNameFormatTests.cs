using Gateway.Common.Mail;
using Gateway.RetroRemediation.Stores;
using Xunit;

namespace Gateway.RetroRemediation.Tests.Stores;

public sealed class LoginNameFormatTests
{
    [Theory]
    [InlineData("{address}", "Ann+news@Example.TEST", "ann@example.test")]
    [InlineData("{local}", "Ann+news@example.test", "ann")]
    [InlineData("{local}%{domain}", "ann@example.test", "ann%example.test")]
    public void Format_Tokens_AreReplacedFromTheMailbox(string format, string recipient, string expected)
    {
        Assert.True(EnvelopeAddress.TryParse(recipient, out var address));

        Assert.Equal(expected, LoginNameFormat.Format(format, address));
    }

    [Theory]
    [InlineData("{address}", true)]
    [InlineData("{local}@mail.{domain}", true)]
    [InlineData("", false)]
    [InlineData("admin", false)]
    [InlineData("{user}", false)]
    [InlineData("{address}{", false)]
    [InlineData("{address} x", false)]
    public void TryValidateFormat_Formats_AreJudged(string format, bool valid)
    {
        Assert.Equal(valid, LoginNameFormat.TryValidate(format, out var error));
        Assert.Equal(valid, error.Length == 0);
    }
}
