using System.Text;
using Gateway.MtaEdge.Delivery.Transfer;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

public sealed class DotStuffingTests
{
    [Theory]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n.\r\n")]
    [InlineData(".\r\n", "..\r\n.\r\n")]
    [InlineData(".leading\r\nmid.dle\r\n..two\r\n", "..leading\r\nmid.dle\r\n...two\r\n.\r\n")]
    [InlineData("no final newline", "no final newline\r\n.\r\n")]
    [InlineData("bare\nlf\rcr\r\n.x", "bare\r\nlf\r\ncr\r\n..x\r\n.\r\n")]
    [InlineData("\r\n\r\n", "\r\n\r\n.\r\n")]
    [InlineData("", ".\r\n")]
    public void Encode_StuffsDotsNormalisesLineEndsAndTerminates(string content, string wire)
    {
        var encoded = DotStuffing.Encode(Encoding.UTF8.GetBytes(content));

        Assert.Equal(wire, Encoding.UTF8.GetString(encoded.Span));
    }

    [Fact]
    public void Encode_KeepsNulAndEightBitOctets()
    {
        byte[] content = [0, 0xFF, 0x80, (byte)'\r', (byte)'\n'];

        var encoded = DotStuffing.Encode(content);

        Assert.Equal([0, 0xFF, 0x80, .. "\r\n.\r\n"u8], encoded.ToArray());
    }
}
