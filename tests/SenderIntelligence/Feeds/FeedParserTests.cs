using System.Net;
using Gateway.SenderIntelligence.Feeds;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Feeds;

public sealed class FeedParserTests
{
    [Fact]
    public void Parse_CommonFormats_CommentsSkippedHostBitsMasked()
    {
        const string feed = """
            ; Example DROP-style list
            # another comment

            192.0.2.0/24 ; SBL0001
            198.51.100.7   # a single host
            203.0.113.77/28
            2001:db8:bad::/48
            ::ffff:10.1.0.0/112
            not-an-address
            300.1.1.1
            10.0.0.0/33
            """;

        var result = FeedParser.Parse(new StringReader(feed));

        Assert.Equal(5, result.Entries);
        Assert.Equal(3, result.InvalidLines);
        Assert.Equal("line 9: 'not-an-address' is not an address or network", result.Errors[0]);
        Assert.Equal(3, result.Errors.Count);
        foreach (var listed in new[] { "192.0.2.200", "198.51.100.7", "203.0.113.64", "203.0.113.79",
            "2001:db8:bad:1::1", "10.1.2.3" })
        {
            Assert.True(result.Table.Contains(IPAddress.Parse(listed)), listed);
        }

        foreach (var clean in new[] { "198.51.100.8", "203.0.113.80", "2001:db8:bae::1", "10.2.0.0" })
        {
            Assert.False(result.Table.Contains(IPAddress.Parse(clean)), clean);
        }
    }

    [Theory]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.4/")]
    [InlineData("1.2.3.4/-1")]
    [InlineData("1234.1.1.1")]
    public void Parse_MalformedAddress_CountedInvalid(string line)
    {
        var result = FeedParser.Parse(new StringReader(line));

        Assert.Equal((0, 1), (result.Entries, result.InvalidLines));
    }
}
