using System.Text;
using System.Text.RegularExpressions;
using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Tests.Support;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Fingerprinting;

/// <summary>The exact kinds (t1, a1) as the calculator computes them; f1 and u1 have tests of their own.</summary>
public sealed class FingerprintCalculatorTests
{
    private static IReadOnlyList<string> Fingerprints(byte[] raw, FingerprintFilterOptions? options = null) =>
        FingerprintFilterFactory.Calculator(options).Compute(raw).Fingerprints
            .Where(fp => FingerprintKinds.KindOf(fp) is FingerprintKinds.ExactText or FingerprintKinds.Attachment)
            .ToList();

    private static IReadOnlyList<string> Fingerprints(string raw) => Fingerprints(TestMessages.Bytes(raw));

    [Fact]
    public void Compute_TextMessage_GivesOneT1OfKindColon128BitHex()
    {
        var fingerprint = Assert.Single(Fingerprints(TestMessages.Plain(TestMessages.CampaignText)));

        Assert.Matches(new Regex("^t1:[0-9a-f]{32}$"), fingerprint);
        Assert.Equal(FingerprintKinds.ExactText, FingerprintKinds.KindOf(fingerprint));
    }

    [Fact]
    public void Compute_ShortTextPart_YieldsNoTextFingerprint()
    {
        Assert.Empty(Fingerprints(TestMessages.Plain("Thanks, see you at 5!")));
    }

    [Fact]
    public void Compute_ShortTextPartWithLowerMinimum_YieldsAFingerprint()
    {
        var options = FingerprintFilterFactory.DefaultOptions();
        options.MinTextChars = 5;

        Assert.Single(Fingerprints(TestMessages.Bytes(TestMessages.Plain("Thanks, see you at 5!")), options));
    }

    [Fact]
    public void Compute_HeadersDiffer_FingerprintsEqual()
    {
        var first = Fingerprints(TestMessages.Plain(TestMessages.CampaignText, "Offer abc", "<1@a.test>"));
        var second = Fingerprints(TestMessages.Plain(TestMessages.CampaignText, "zzzz, Offer xyz", "<2@b.test>"));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Compute_CampaignVariantsWithVolatileTokens_FingerprintsEqual()
    {
        const string template = "Dear {0}, your account {1} qualifies for our lowest mortgage rate ever. " +
            "Apply at http://rates.example.com/apply?id={2} before {3}. Ref {4}";
        var first = Fingerprints(TestMessages.Plain(string.Format(template,
            "zzzz@example.com", "4924161298765444333", "aa11", "12/05/2002", "K3J4H5G6")));
        var second = Fingerprints(TestMessages.Plain(string.Format(template,
            "yyyy@example.org", "1111222233334444", "bb22cc", "01/06/2002", "Q9W8E7R6")));

        Assert.Single(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Compute_DifferentTexts_FingerprintsDiffer()
    {
        var first = Fingerprints(TestMessages.Plain(TestMessages.CampaignText));
        var second = Fingerprints(TestMessages.Plain(TestMessages.CampaignText.Replace("pharmacy", "bakery")));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Compute_SameBodyAsPlainAndHtml_GivesOneT1()
    {
        var raw = "Subject: x\nContent-Type: multipart/alternative; boundary=alt\n\n" +
            "--alt\nContent-Type: text/plain\n\n" + TestMessages.CampaignText + "\n" +
            "--alt\nContent-Type: text/html\n\n<html><body><p>" + TestMessages.CampaignText.Replace(" ", "&nbsp; ") +
            "</p></body></html>\n--alt--\n";

        Assert.Equal(Fingerprints(TestMessages.Plain(TestMessages.CampaignText)), Fingerprints(raw));
    }

    [Fact]
    public void Compute_LfAndCrlfCopies_FingerprintsEqual()
    {
        var lf = TestMessages.Bytes(TestMessages.WithAttachment(TestMessages.CampaignText, "line one\nline two"));

        var fromLf = Fingerprints(lf);
        var fromCrlf = Fingerprints(TestMessages.Crlf(lf));

        Assert.Equal(2, fromLf.Count);
        Assert.Equal(fromLf, fromCrlf);
    }

    [Fact]
    public void Compute_LineOrientedAttachment_DigestsContentWithoutTheDelimiterLineBreak()
    {
        var raw = TestMessages.Crlf(TestMessages.Bytes(
            TestMessages.WithAttachment(TestMessages.CampaignText, "line one\nline two")));

        var attachment = Fingerprints(raw).Single(fp => fp.StartsWith("a1:", StringComparison.Ordinal));

        // RFC 2046 section 5.1.1: the CRLF before "--b1--" belongs to the delimiter, not the part.
        Assert.Equal(FingerprintDigest.Of("a1", "line one\nline two"u8), attachment);
    }

    [Fact]
    public void Compute_OnlyTheCrlfBeforeADelimiterDiffers_FingerprintsEqual()
    {
        var crlf = TestMessages.Crlf(TestMessages.Bytes(
            TestMessages.WithAttachment(TestMessages.CampaignText, "line one\nline two")));
        var text = Encoding.Latin1.GetString(crlf);

        // The same message with a bare LF (and with LF CR LF) before each delimiter line.
        var bareLf = Encoding.Latin1.GetBytes(text.Replace("\r\n--b1", "\n--b1"));
        var extraLf = Encoding.Latin1.GetBytes(text.Replace("\r\n--b1", "\n\r\n--b1"));

        var expected = Fingerprints(crlf);
        Assert.Equal(expected, Fingerprints(bareLf));
        Assert.Equal(expected, Fingerprints(extraLf));
    }

    [Fact]
    public void Compute_AttachmentAsLastOrMiddlePart_DigestEqual()
    {
        var last = TestMessages.WithAttachment(TestMessages.CampaignText, "payload bytes");
        var middle = "Subject: x\nContent-Type: multipart/mixed; boundary=q\n\n" +
            "--q\nContent-Type: application/octet-stream\n\npayload bytes\n" +
            "--q\nContent-Type: text/plain\n\n" + TestMessages.CampaignText + "\n--q--\n";

        Assert.Equal(Fingerprints(last).ToHashSet(), Fingerprints(middle).ToHashSet());
    }

    [Fact]
    public void Compute_Base64Attachment_DigestsExactDecodedBytes()
    {
        var payload = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x0D, 0x0A };
        var raw = "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n" +
            "--b\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\n" +
            Convert.ToBase64String(payload) + "\n--b--\n";

        Assert.Equal([FingerprintDigest.Of("a1", payload)], Fingerprints(raw));
    }

    [Fact]
    public void Compute_SameAttachmentTwice_GivesItOnce()
    {
        var raw = "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n" +
            "--b\nContent-Type: image/gif\nContent-Transfer-Encoding: base64\n\nR0lGODlhAQABAAAAACw=\n" +
            "--b\nContent-Type: image/gif\nContent-Transfer-Encoding: base64\n\nR0lGODlhAQABAAAAACw=\n--b--\n";

        Assert.Single(Fingerprints(raw));
    }

    [Fact]
    public void Compute_MultipartWhoseBoundaryNeverOccurs_FingerprintsAsThePlainMessage()
    {
        var raw = "Subject: x\nContent-Type: multipart/mixed; boundary=\"gone\"\n\n" + TestMessages.CampaignText + "\n";

        Assert.Equal(Fingerprints(TestMessages.Plain(TestMessages.CampaignText)), Fingerprints(raw));
    }

    [Fact]
    public void Compute_UnparseableMessage_GivesNoFingerprintsAndNoMessageId()
    {
        var result = FingerprintFilterFactory.Calculator().Compute(new byte[] { 0xFF, 0x00, 0x0A });

        Assert.Empty(result.Fingerprints);
        Assert.Null(result.MessageId);
    }
}
