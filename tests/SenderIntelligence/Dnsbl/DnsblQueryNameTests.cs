using System.Net;
using Gateway.SenderIntelligence.Dnsbl;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Dnsbl;

public sealed class DnsblQueryNameTests
{
    [Theory]
    [InlineData("192.0.2.99", "dnsbl.example", "99.2.0.192.dnsbl.example")]
    [InlineData("127.0.0.2", "dnsbl.example.", "2.0.0.127.dnsbl.example")]
    [InlineData("::ffff:192.0.2.99", "z.example", "99.2.0.192.z.example")]
    // RFC 5782 section 2.4: 2001:db8:1:2:3:4:567:89ab.
    [InlineData("2001:db8:1:2:3:4:567:89ab", "ugly.example",
        "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example")]
    public void For_Address_ReversedOctetsOrNibbles(string address, string zone, string expected)
    {
        Assert.Equal(expected, DnsblQueryName.For(IPAddress.Parse(address), zone));
    }

    [Fact]
    public void ForIpv6Bytes_MappedTestPoint_KeepsTheNibbleForm()
    {
        byte[] point = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0x7f, 0, 0, 2];

        Assert.Equal("2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.z", DnsblQueryName.ForIpv6Bytes(
            point, "z"));
    }

    [Theory]
    [InlineData(new string[0], "127.0.0.2", true)]
    [InlineData(new string[0], "127.0.10.2", true)]
    [InlineData(new string[0], "127.0.0.1", false)]
    [InlineData(new string[0], "127.255.255.254", false)]
    [InlineData(new string[0], "10.0.0.2", false)]
    [InlineData(new[] { "127.0.0.2" }, "127.0.0.2", true)]
    [InlineData(new[] { "127.0.0.2" }, "127.0.0.3", false)]
    [InlineData(new[] { "127.0.0.4-127.0.0.7" }, "127.0.0.5", true)]
    [InlineData(new[] { "127.0.0.4-127.0.0.7", "127.0.0.10" }, "127.0.0.10", true)]
    [InlineData(new[] { "127.0.0.4-127.0.0.7" }, "127.0.0.8", false)]
    public void ReturnCodeFilter_Answer_MatchesTheConfiguredCodes(string[] codes, string answer, bool listed)
    {
        Assert.True(ReturnCodeFilter.TryParse(codes, out var filter, out var error), error);

        Assert.Equal(listed, filter.Matches(IPAddress.Parse(answer)));
    }

    [Theory]
    [InlineData("127.0.0.x")]
    [InlineData("127.0.0.7-127.0.0.4")]
    [InlineData("::1")]
    public void ReturnCodeFilter_Invalid_Explains(string code)
    {
        Assert.False(ReturnCodeFilter.TryParse([code], out _, out var error));
        Assert.Contains(code, error, StringComparison.Ordinal);
    }
}
