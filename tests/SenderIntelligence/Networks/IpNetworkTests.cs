using System.Net;
using System.Net.Sockets;
using Gateway.SenderIntelligence.Networks;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Networks;

public sealed class IpNetworkTests
{
    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.0/24", AddressFamily.InterNetwork)]
    [InlineData("192.0.2.7", "192.0.2.7/32", AddressFamily.InterNetwork)]
    [InlineData(" 10.0.0.0/8 ", "10.0.0.0/8", AddressFamily.InterNetwork)]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", AddressFamily.InterNetwork)]
    [InlineData("198.51.100.9/32", "198.51.100.9/32", AddressFamily.InterNetwork)]
    [InlineData("2001:db8::/32", "2001:db8::/32", AddressFamily.InterNetworkV6)]
    [InlineData("2001:DB8:0:0::1", "2001:db8::1/128", AddressFamily.InterNetworkV6)]
    [InlineData("::/0", "::/0", AddressFamily.InterNetworkV6)]
    [InlineData("2001:db8::1/128", "2001:db8::1/128", AddressFamily.InterNetworkV6)]
    [InlineData("::ffff:10.0.0.0/104", "10.0.0.0/8", AddressFamily.InterNetwork)]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1/32", AddressFamily.InterNetwork)]
    [InlineData("::ffff:0.0.0.0/96", "0.0.0.0/0", AddressFamily.InterNetwork)]
    public void TryParse_ValidNetwork_NormalisedForm(string text, string expected, AddressFamily family)
    {
        Assert.True(IpNetwork.TryParse(text, out var network, out var error), error);

        Assert.Null(error);
        Assert.Equal(expected, network.ToString());
        Assert.Equal(family, network.Family);
    }

    [Theory]
    [InlineData(null, "is empty")]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData("/24", "no address")]
    [InlineData("example.com", "not an IPv4 address")]
    [InlineData("192.0.2", "not an IPv4 address")]
    [InlineData("10.1", "not an IPv4 address")]
    [InlineData("256.0.0.1", "not an IPv4 address")]
    [InlineData("010.0.0.1", "not an IPv4 address")]
    [InlineData("0x7f.0.0.1", "not an IPv4 address")]
    [InlineData("1.2.3.4.5", "not an IPv4 address")]
    [InlineData("-1.2.3.4", "not an IPv4 address")]
    [InlineData("192.0.2.0/33", "more than the 32 bits")]
    [InlineData("2001:db8::/129", "more than the 128 bits")]
    [InlineData("192.0.2.0/", "invalid prefix length")]
    [InlineData("192.0.2.0/-1", "invalid prefix length")]
    [InlineData("192.0.2.0/+8", "invalid prefix length")]
    [InlineData("192.0.2.0/08", "invalid prefix length")]
    [InlineData("192.0.2.0/24/8", "invalid prefix length")]
    [InlineData("192.0.2.1/24", "did you mean 192.0.2.0/24")]
    [InlineData("2001:db8::1/32", "did you mean 2001:db8::/32")]
    [InlineData("2001:db8:::1", "not a valid IPv6")]
    [InlineData("fe80::1%eth0", "zone index")]
    [InlineData("[2001:db8::]/32", "not a valid IPv6")]
    public void TryParse_InvalidNetwork_ExplainsWhy(string? text, string because)
    {
        Assert.False(IpNetwork.TryParse(text, out _, out var error));

        Assert.NotNull(error);
        Assert.Contains(because, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.0", true)]
    [InlineData("192.0.2.0/24", "192.0.2.255", true)]
    [InlineData("192.0.2.0/24", "192.0.3.0", false)]
    [InlineData("192.0.2.0/24", "192.0.1.255", false)]
    [InlineData("192.0.2.7/32", "192.0.2.7", true)]
    [InlineData("192.0.2.7/32", "192.0.2.8", false)]
    [InlineData("0.0.0.0/0", "203.0.113.50", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("192.0.2.0/24", "::ffff:192.0.2.10", true)]
    [InlineData("::ffff:192.0.2.0/120", "192.0.2.10", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("2001:db8::1/128", "2001:db8::1", true)]
    [InlineData("2001:db8::1/128", "2001:db8::2", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("::/0", "192.0.2.1", false)]
    [InlineData("::/0", "::ffff:192.0.2.1", false)]
    [InlineData("fe80::/10", "fe80::1%2", true)]
    public void Contains_Address_MatchesTable(string network, string address, bool expected)
    {
        var parsed = IpNetwork.Parse(network);

        Assert.Equal(expected, parsed.Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionNamingTheText()
    {
        var error = Assert.Throws<FormatException>(() => IpNetwork.Parse("10.0.0.300"));

        Assert.Contains("'10.0.0.300'", error.Message, StringComparison.Ordinal);
    }
}
