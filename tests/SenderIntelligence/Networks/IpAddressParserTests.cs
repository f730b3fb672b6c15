using System.Net;
using Gateway.SenderIntelligence.Networks;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Networks;

public sealed class IpAddressParserTests
{
    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("::FFFF:C000:0201", "192.0.2.1")]
    [InlineData("2001:0db8:0000::0001", "2001:db8::1")]
    [InlineData("fe80::1%eth0", "fe80::1")]
    [InlineData("fe80::1%2", "fe80::1")]
    public void TryParseClient_EdgeAddress_Normalised(string text, string expected)
    {
        Assert.True(IpAddressParser.TryParseClient(text, out var address));

        Assert.Equal(expected, address.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("10.1")]
    [InlineData("3232235777")]
    [InlineData("0300.0250.0.1")]
    [InlineData("192.0.2.1:25")]
    [InlineData("[2001:db8::1]")]
    [InlineData("%eth0")]
    public void TryParseClient_NotAnAddress_Refused(string? text)
    {
        Assert.False(IpAddressParser.TryParseClient(text, out _));
    }

    [Fact]
    public void Normalize_MappedAndScoped_BecomePlainAddresses()
    {
        Assert.Equal(IPAddress.Parse("192.0.2.1"), IpAddressParser.Normalize(IPAddress.Parse("::ffff:192.0.2.1")));
        Assert.Equal(0, IpAddressParser.Normalize(IPAddress.Parse("fe80::1%3")).ScopeId);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), IpAddressParser.Normalize(IPAddress.Parse("2001:db8::1")));
    }
}
