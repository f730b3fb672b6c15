using System.Text;
using Gateway.FingerprintFilter.Normalization;
using MimeKit;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Normalization;

public sealed class CharsetDecoderTests
{
    private static ContentType TextPlain(string? charset)
    {
        var type = new ContentType("text", "plain");
        if (charset is not null)
        {
            type.Charset = charset;
        }

        return type;
    }

    [Theory]
    [InlineData("default")]
    [InlineData("default_charset")]
    [InlineData("x-unknown")]
    [InlineData(null)]
    public void Decode_BogusLabelOverUtf8_DecodesAsUtf8(string? charset)
    {
        var bytes = Encoding.UTF8.GetBytes("café über");

        Assert.Equal("café über", CharsetDecoder.Decode(bytes, TextPlain(charset)));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("us-ascii")]
    [InlineData("utf-8")]
    public void Decode_InvalidUtf8Bytes_FallBackToLatin1(string charset)
    {
        var bytes = Encoding.Latin1.GetBytes("café über");

        Assert.Equal("café über", CharsetDecoder.Decode(bytes, TextPlain(charset)));
    }

    [Theory]
    [InlineData("windows-1252", "smart \u201Cquotes\u201D")]
    [InlineData("koi8-r", "привет мир")]
    [InlineData("iso-8859-2", "zażółć gęślą")]
    [InlineData("big5", "中文測試")]
    public void Decode_KnownLegacyCharset_UsesIt(string charset, string text)
    {
        CharsetDecoder.EnsureCodePages();
        var bytes = Encoding.GetEncoding(charset).GetBytes(text);

        Assert.Equal(text, CharsetDecoder.Decode(bytes, TextPlain(charset)));
    }

    [Fact]
    public void Decode_Utf16WithByteOrderMarkAndNoLabel_UsesTheMark()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("hello")).ToArray();

        Assert.Equal("hello", CharsetDecoder.Decode(bytes, TextPlain(null)));
    }
}
