using Gateway.FingerprintFilter.Learning;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Learning;

public sealed class ReportSourceTests
{
    [Theory]
    [InlineData("admin", "admin", "admin", true)]
    [InlineData("Admin:Carol", "admin", "admin:carol", true)]
    [InlineData("trap:Spamtrap@Example.Test", "trap", "trap:spamtrap@example.test", true)]
    [InlineData("abuse:fbl@isp.example", "abuse", "abuse:fbl@isp.example", false)]
    [InlineData("user:alice@example.test", "user", "user:alice@example.test", false)]
    [InlineData("peer:site-b", "peer:site-b", "peer:site-b", false)]
    [InlineData("trap:", "other", "trap:", false)]
    [InlineData("", "other", "unspecified", false)]
    [InlineData("corpus-test", "other", "corpus-test", false)]
    public void Parse_Source_GivesClassReporterAndTrust(string text, string cls, string reporter, bool trusted)
    {
        var source = ReportSource.Parse(text);

        Assert.Equal(cls, source.Class);
        Assert.Equal(reporter, source.Reporter);
        Assert.Equal(trusted, source.Trusted);
    }

    [Fact]
    public void Parse_VeryLongSource_IsCut()
    {
        Assert.Equal(ReportSource.MaxChars, ReportSource.Parse(new string('x', 5000)).Reporter.Length);
    }
}
