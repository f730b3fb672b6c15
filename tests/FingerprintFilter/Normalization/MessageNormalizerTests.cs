using System.Text;
using Gateway.FingerprintFilter.Tests.Support;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Normalization;

public sealed class MessageNormalizerTests
{
    [Fact]
    public void Normalize_PlainMessage_GivesOneCanonicalTextAndTheMessageId()
    {
        using var message = FingerprintFilterFactory.Normalizer().Normalize(
            TestMessages.Bytes(TestMessages.Plain("Hello   World,\nOrder 12345 today!")));

        var text = Assert.Single(message.Texts);
        Assert.Equal("text/plain", text.MediaType);
        Assert.Equal("hello world, order [n] today!", text.Text);
        Assert.Equal("m1@example.test", message.MessageId);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void Normalize_HtmlPart_YieldsVisibleTextOnly()
    {
        const string raw = "Subject: x\nContent-Type: text/html; charset=iso-8859-1\n\n" +
            "<html><head><style>b{}</style></head><body><p>Caf&eacute; <b>Special</b></p>" +
            "<script>x()</script></body></html>\n";

        using var message = FingerprintFilterFactory.Normalizer().Normalize(TestMessages.Latin1(raw));

        Assert.Equal("café special", Assert.Single(message.Texts).Text);
    }

    [Fact]
    public void Normalize_QuotedPrintableLatin1Part_IsDecoded()
    {
        const string raw = "Subject: x\nContent-Type: text/plain; charset=iso-8859-1\n" +
            "Content-Transfer-Encoding: quoted-printable\n\nGr=FC=DFe aus M=FCn=\nchen\n";

        using var message = FingerprintFilterFactory.Normalizer().Normalize(TestMessages.Latin1(raw));

        Assert.Equal("grüße aus münchen", Assert.Single(message.Texts).Text);
    }

    [Fact]
    public void Normalize_BogusCharsetOverLatin1Bytes_FallsBackToLatin1()
    {
        const string raw = "Subject: x\nContent-Type: text/plain; charset=\"default_charset\"\n" +
            "Content-Transfer-Encoding: 8bit\n\nCafé crème\n";

        using var message = FingerprintFilterFactory.Normalizer().Normalize(TestMessages.Latin1(raw));

        Assert.Equal("café crème", Assert.Single(message.Texts).Text);
    }

    [Fact]
    public void Normalize_Raw8BitHeaders_DoNotThrow()
    {
        var raw = TestMessages.Latin1(
            "Subject: Caf\u00e9 \u00ff\u00fe\u0001\nFrom: \u00e9\u00e8 <a@b>\nTo: \u0080\u0081\n" +
            "Message-ID: <\u00e9@x>\n\n" + TestMessages.CampaignText + "\n");

        using var message = FingerprintFilterFactory.Normalizer().Normalize(raw);

        Assert.Single(message.Texts);
    }

    [Fact]
    public void Normalize_MboxFromLine_IsSkipped()
    {
        var plain = TestMessages.Plain(TestMessages.CampaignText);
        using var withFrom = FingerprintFilterFactory.Normalizer().Normalize(
            TestMessages.Bytes("From spammer@example.test  Thu Aug 22 13:17:22 2002\n" + plain));
        using var without = FingerprintFilterFactory.Normalizer().Normalize(TestMessages.Bytes(plain));

        Assert.Equal(without.MessageId, withFrom.MessageId);
        Assert.Equal(without.Texts, withFrom.Texts);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0, 1, 2, 255, 254, 10, 10, 0 })]
    [InlineData(new byte[] { (byte)'F', (byte)'r', (byte)'o', (byte)'m', (byte)' ' })]
    public void Normalize_UnparseableInput_GivesNothingAndDoesNotThrow(byte[] raw)
    {
        using var message = FingerprintFilterFactory.Normalizer().Normalize(raw);

        Assert.Empty(message.Texts);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void Normalize_MessageOverSizeLimit_GivesNothing()
    {
        var options = FingerprintFilterFactory.DefaultOptions();
        options.MaxMessageBytes = 1024;
        var raw = TestMessages.Bytes(TestMessages.Plain(new string('x', 2000)));

        using var message = FingerprintFilterFactory.Normalizer(options).Normalize(raw);

        Assert.Empty(message.Texts);
    }

    [Fact]
    public void Normalize_MorePartsThanTheLimit_StopsAtTheLimit()
    {
        var options = FingerprintFilterFactory.DefaultOptions();
        options.MaxMimeParts = 10;
        var raw = new StringBuilder("Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n");
        for (var i = 0; i < 50; i++)
        {
            raw.Append("--b\nContent-Type: text/plain\n\npart ").Append(i).Append('\n');
        }

        raw.Append("--b--\n");

        using var message = FingerprintFilterFactory.Normalizer(options).Normalize(TestMessages.Bytes(raw.ToString()));

        // The multipart itself is the first of the ten entities visited.
        Assert.Equal(9, message.Texts.Count);
    }

    [Fact]
    public void Normalize_NestingDeeperThanTheLimit_DoesNotThrow()
    {
        var options = FingerprintFilterFactory.DefaultOptions();
        options.MaxMimeDepth = 4;
        var raw = new StringBuilder("Subject: x\n");
        for (var i = 0; i < 40; i++)
        {
            raw.Append($"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n");
        }

        raw.Append("Content-Type: text/plain\n\n").Append(TestMessages.CampaignText).Append('\n');

        using var message = FingerprintFilterFactory.Normalizer(options).Normalize(TestMessages.Bytes(raw.ToString()));

        Assert.NotNull(message);
    }

    [Fact]
    public void Normalize_EmbeddedMessage_IsAnAttachmentNotText()
    {
        var raw = "Subject: Fwd: spam\nContent-Type: multipart/mixed; boundary=b\n\n" +
            "--b\nContent-Type: text/plain\n\nsee below\n" +
            "--b\nContent-Type: message/rfc822\n\n" + TestMessages.Plain(TestMessages.CampaignText) + "--b--\n";

        using var message = FingerprintFilterFactory.Normalizer().Normalize(TestMessages.Bytes(raw));

        Assert.Equal("see below", Assert.Single(message.Texts).Text);
        Assert.Equal("message/rfc822", Assert.Single(message.Attachments).MediaType);
    }

    [Fact]
    public void Normalize_MultipartWhoseBoundaryNeverOccurs_IsOneTextPart()
    {
        var raw = "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"never-used\"\n\n" +
            TestMessages.CampaignText + "\n";

        using var message = FingerprintFilterFactory.Normalizer().Normalize(TestMessages.Bytes(raw));
        using var plain = FingerprintFilterFactory.Normalizer().Normalize(
            TestMessages.Bytes(TestMessages.Plain(TestMessages.CampaignText)));

        Assert.Equal(Assert.Single(plain.Texts).Text, Assert.Single(message.Texts).Text);
    }

    [Fact]
    public void Normalize_MultipartWithoutBoundaryParameter_IsOneTextPart()
    {
        var raw = "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed\n\n" + TestMessages.CampaignText + "\n";

        using var message = FingerprintFilterFactory.Normalizer().Normalize(TestMessages.Bytes(raw));

        Assert.Single(message.Texts);
    }
}
