using System.Text;
using Gateway.MtaEdge.Smtp.Message;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp.Message;

/// <summary>The one pass over the header section: counts, Message-ID and the From: domain it yields.</summary>
public sealed class HeaderScannerTests
{
    private static HeaderSummary Scan(string content, int max = 64 * 1024) =>
        HeaderScanner.Scan(Encoding.UTF8.GetBytes(content), max);

    [Fact]
    public void Scan_FoldedFromAndMessageId_BothFoundAndReceivedCounted()
    {
        var summary = Scan("Received: from a\r\nReceived: from b\r\n"
            + "From: \"Ann\r\n Example\" <ann@Mail.Example.ORG.>\r\n"
            + "Message-ID:\r\n <x1@example.org>\r\nSubject: hi\r\n\r\nbody From: eve@evil.test\r\n");

        Assert.Equal(2, summary.ReceivedCount);
        Assert.Equal("<x1@example.org>", summary.MessageId);
        Assert.Equal("mail.example.org", FromDomainReader.Read(summary.From));
        Assert.False(summary.TooLarge);
    }

    [Fact]
    public void Scan_FromOnlyInBody_NoFrom()
    {
        var summary = Scan("Subject: x\r\n\r\nFrom: eve@evil.test\r\n");

        Assert.Null(summary.From);
        Assert.Equal("", FromDomainReader.Read(summary.From));
    }

    [Fact]
    public void Scan_TwoFromFields_FirstWins()
    {
        var summary = Scan("From: a@first.example\r\nFROM: b@second.example\r\n\r\n");

        Assert.Equal("first.example", FromDomainReader.Read(summary.From));
    }

    [Theory]
    [InlineData("From: =?utf-8?q?J=C3=BCrgen?= <j@m\u00fcnchen.example>", "m\u00fcnchen.example")]
    [InlineData("From: undisclosed:;", "")]
    [InlineData("From: <<<>>>@@", "")]
    [InlineData("From:", "")]
    [InlineData("From: team: a@group.example, b@other.example;", "group.example")]
    public void FromDomain_OddValues_DomainOrEmptyNeverThrows(string field, string expected)
    {
        var summary = Scan(field + "\r\nSubject: s\r\n\r\nbody\r\n");

        Assert.Equal(expected, FromDomainReader.Read(summary.From));
    }

    [Fact]
    public void Scan_HugeFoldedFrom_ValueBounded()
    {
        var folded = "From: a@big.example" + string.Concat(Enumerable.Repeat("\r\n , x@y.example", 2000)) + "\r\n\r\n";

        var summary = Scan(folded, max: 1024 * 1024);

        Assert.NotNull(summary.From);
        Assert.True(summary.From!.Length < 8192, $"{summary.From.Length} chars kept");
        Assert.Equal("big.example", FromDomainReader.Read(summary.From));
    }
}
