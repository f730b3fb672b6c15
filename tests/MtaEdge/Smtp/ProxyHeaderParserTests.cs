using System.Buffers;
using System.Net;
using System.Text;
using Gateway.MtaEdge.Smtp.Proxy;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>PROXY protocol headers, v1 text and v2 binary: valid ones parsed, everything else refused.</summary>
public sealed class ProxyHeaderParserTests
{
    [Theory]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 56324 25\r\n", "192.0.2.7", 56324)]
    [InlineData("PROXY TCP6 2001:db8::7 2001:db8::1 4000 25\r\n", "2001:db8::7", 4000)]
    public void V1_Valid_SourceParsed(string line, string address, int port)
    {
        var status = Parse(Encoding.ASCII.GetBytes(line + "EHLO x\r\n"), out var header, out var consumed);

        Assert.Equal(ProxyParseStatus.Complete, status);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), header!.Source);
        Assert.Equal(line.Length, consumed);
    }

    [Fact]
    public void V1_Unknown_NoSource()
    {
        var status = Parse("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n"u8.ToArray(), out var header, out _);

        Assert.Equal(ProxyParseStatus.Complete, status);
        Assert.Null(header!.Source);
    }

    [Theory]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 56324\r\n")]
    [InlineData("PROXY TCP4 2001:db8::7 198.51.100.1 1 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2 198.51.100.1 1 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 01 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 65536 25\r\n")]
    [InlineData("PROXY  TCP4 192.0.2.7 198.51.100.1 1 25\r\n")]
    [InlineData("PROXY UDP4 192.0.2.7 198.51.100.1 1 25\r\n")]
    [InlineData("EHLO client.test\r\n")]
    [InlineData("proxy TCP4 192.0.2.7 198.51.100.1 1 25\r\n")]
    public void V1_Malformed_Invalid(string line)
    {
        Assert.Equal(ProxyParseStatus.Invalid, Parse(Encoding.ASCII.GetBytes(line), out _, out _));
    }

    [Fact]
    public void V1_NoLineEndWithin107Octets_Invalid()
    {
        var line = "PROXY TCP4 192.0.2.7 198.51.100.1 1 25" + new string(' ', 80);

        Assert.Equal(ProxyParseStatus.Invalid, Parse(Encoding.ASCII.GetBytes(line), out _, out _));
    }

    [Fact]
    public void V1_Partial_Incomplete()
    {
        Assert.Equal(ProxyParseStatus.Incomplete, Parse("PROXY TCP4 192.0"u8.ToArray(), out _, out _));
        Assert.Equal(ProxyParseStatus.Incomplete, Parse("PRO"u8.ToArray(), out _, out _));
    }

    [Fact]
    public void V2_Tcp4WithTlvs_SourceParsedAndTlvsSkipped()
    {
        var bytes = V2(0x21, 0x11, [192, 0, 2, 7, 198, 51, 100, 1, 0xDC, 0x04, 0, 25, 0x04, 0, 2, 0xAA, 0xBB]);

        var status = Parse([.. bytes, .. "EHLO"u8.ToArray()], out var header, out var consumed);

        Assert.Equal(ProxyParseStatus.Complete, status);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 0xDC04), header!.Source);
        Assert.Equal(bytes.Length, consumed);
    }

    [Fact]
    public void V2_Tcp6_SourceParsed()
    {
        var source = IPAddress.Parse("2001:db8::7").GetAddressBytes();
        var destination = IPAddress.Parse("2001:db8::1").GetAddressBytes();
        var bytes = V2(0x21, 0x21, [.. source, .. destination, 0x01, 0x00, 0, 25]);

        Assert.Equal(ProxyParseStatus.Complete, Parse(bytes, out var header, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 256), header!.Source);
    }

    [Fact]
    public void V2_Local_NoSource()
    {
        Assert.Equal(ProxyParseStatus.Complete, Parse(V2(0x20, 0x00, []), out var header, out _));
        Assert.Null(header!.Source);
    }

    [Theory]
    [InlineData(0x11, 0x11)] // version 1 in a v2 preamble
    [InlineData(0x22, 0x11)] // unknown command
    public void V2_BadVersionOrCommand_Invalid(byte versionCommand, byte family)
    {
        Assert.Equal(ProxyParseStatus.Invalid, Parse(V2(versionCommand, family, new byte[12]), out _, out _));
    }

    [Fact]
    public void V2_AddressBlockTooShort_Invalid()
    {
        Assert.Equal(ProxyParseStatus.Invalid, Parse(V2(0x21, 0x11, new byte[8]), out _, out _));
    }

    [Fact]
    public void V2_DeclaredLengthHuge_InvalidWithoutWaiting()
    {
        var bytes = V2(0x21, 0x11, new byte[12]);
        bytes[14] = 0xFF;
        bytes[15] = 0xFF;

        Assert.Equal(ProxyParseStatus.Invalid, Parse(bytes, out _, out _));
    }

    [Fact]
    public void V2_Partial_Incomplete()
    {
        var bytes = V2(0x21, 0x11, new byte[12]);

        Assert.Equal(ProxyParseStatus.Incomplete, Parse(bytes[..20], out _, out _));
        Assert.Equal(ProxyParseStatus.Incomplete, Parse(bytes[..10], out _, out _));
    }

    [Fact]
    public void TrustedNetworks_CidrAndMappedAddresses()
    {
        var trusted = new TrustedNetworks(["10.0.0.0/8", "2001:db8::/32", "192.0.2.7"]);

        Assert.True(trusted.Contains(IPAddress.Parse("10.200.1.1")));
        Assert.True(trusted.Contains(IPAddress.Parse("::ffff:10.1.1.1")));
        Assert.True(trusted.Contains(IPAddress.Parse("192.0.2.7")));
        Assert.True(trusted.Contains(IPAddress.Parse("2001:db8:1::5")));
        Assert.False(trusted.Contains(IPAddress.Parse("192.0.2.8")));
        Assert.False(trusted.Contains(IPAddress.Parse("11.0.0.1")));
        Assert.False(TrustedNetworks.TryParseOne("10.1.2.3/8", out _));
        Assert.False(TrustedNetworks.TryParseOne("example.test", out _));
    }

    internal static byte[] V2(byte versionCommand, byte family, byte[] body) =>
    [
        .. "\r\n\r\n\0\r\nQUIT\n"u8.ToArray(), versionCommand, family, (byte)(body.Length >> 8), (byte)body.Length,
        .. body,
    ];

    private static ProxyParseStatus Parse(byte[] bytes, out ProxyHeader? header, out long consumed) =>
        ProxyHeaderParser.TryParse(new ReadOnlySequence<byte>(bytes), out header, out consumed, out _);
}
