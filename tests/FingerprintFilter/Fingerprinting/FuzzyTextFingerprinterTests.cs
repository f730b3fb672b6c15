using System.Text.RegularExpressions;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Tests.Support;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Fingerprinting;

public sealed class FuzzyTextFingerprinterTests
{
    private static MessageFingerprints Compute(string body) =>
        FingerprintFilterFactory.Calculator().Compute(TestMessages.Bytes(TestMessages.Plain(body)));

    private static IReadOnlyList<string> Components(string body) => Assert.Single(Compute(body).FuzzyParts).Components;

    private static double Agreement(IReadOnlyList<string> first, IReadOnlyList<string> second) =>
        first.Zip(second).Count(pair => pair.First == pair.Second) / (double)first.Count;

    [Fact]
    public void Compute_LongEnoughText_Gives32ComponentsOfKindF1WithBandIndex()
    {
        var components = Components(TestMessages.CampaignBody(0));

        Assert.Equal(32, components.Count);
        Assert.All(components, c => Assert.Matches(new Regex("^f1:[0-9a-f]{18}$"), c));
        Assert.Equal(Enumerable.Range(0, 32).Select(i => i.ToString("x2")), components.Select(c => c[3..5]));
        Assert.All(components, c => Assert.Contains(c, Compute(TestMessages.CampaignBody(0)).Fingerprints));
    }

    [Fact]
    public void Compute_SameTextTwice_GivesTheSameComponents()
    {
        Assert.Equal(Components(TestMessages.CampaignBody(1)), Components(TestMessages.CampaignBody(1)));
    }

    /// <summary>
    /// Guards the f1 definition: other nodes, sites and delivery records hold these strings, so any change
    /// to shingling, hashing, sketching or banding must come as a new kind (f2), never as a new f1.
    /// </summary>
    [Fact]
    public void Compute_KnownText_GivesTheRecordedComponents()
    {
        var components = Components(TestMessages.CampaignBody(0));

        Assert.Equal(FuzzyGolden.First, components[0]);
        Assert.Equal(FuzzyGolden.Last, components[^1]);
    }

    [Fact]
    public void Compute_CampaignVariants_AgreeOnAtLeastTheMatchShare()
    {
        var first = Components(TestMessages.CampaignBody(0));

        for (var variant = 1; variant < 6; variant++)
        {
            Assert.True(Agreement(first, Components(TestMessages.CampaignBody(variant))) >= 0.25, $"variant {variant}");
        }
    }

    [Fact]
    public void Compute_UnrelatedTexts_AgreeOnAlmostNothing()
    {
        var spam = Components(TestMessages.CampaignBody(0));
        var ham = Components("The quarterly planning meeting moves to Thursday afternoon because the projector in " +
            "the large room is being repaired. Please bring the budget figures for your team and a short list of the " +
            "three risks you consider most urgent, so that we can agree on owners before the holidays begin.");

        Assert.True(Agreement(spam, ham) < 0.1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Thanks, see you at five tomorrow in the usual place.")]
    [InlineData("buy now buy now buy now buy now buy now buy now buy now buy now buy now buy now buy now buy now")]
    public void Compute_ShortOrRepetitiveText_GivesNoFuzzyDigest(string body)
    {
        var result = Compute(body);

        Assert.Empty(result.FuzzyParts);
        Assert.DoesNotContain(result.Fingerprints, fp => fp.StartsWith("f1:", StringComparison.Ordinal));
    }

    [Fact]
    public void Compute_SameBodyAsPlainAndHtml_GivesOneFuzzyPart()
    {
        var body = TestMessages.CampaignBody(2);
        var raw = "Subject: x\nContent-Type: multipart/alternative; boundary=alt\n\n" +
            "--alt\nContent-Type: text/plain\n\n" + body + "\n" +
            "--alt\nContent-Type: text/html\n\n<html><body><p>" + body + "</p></body></html>\n--alt--\n";

        var result = FingerprintFilterFactory.Calculator().Compute(TestMessages.Bytes(raw));

        Assert.Single(result.FuzzyParts);
    }

    [Fact]
    public void Compute_MoreTextPartsThanTheLimit_KeepsTheFirstOnes()
    {
        var options = FingerprintFilterFactory.DefaultOptions();
        options.MaxFuzzyParts = 2;
        var parts = string.Concat(Enumerable.Range(0, 4).Select(i =>
            "--b\nContent-Type: text/plain\n\n" + TestMessages.CampaignBody(i) + " part " + i + "\n"));
        var raw = "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n" + parts + "--b--\n";

        var result = FingerprintFilterFactory.Calculator(options).Compute(TestMessages.Bytes(raw));

        Assert.Equal(2, result.FuzzyParts.Count);
        Assert.True(result.Fingerprints.Count <= options.MaxFingerprintsPerMessage);
    }

    [Fact]
    public void Compute_FingerprintCap_LeavesOutWholeFuzzyPartsOnly()
    {
        var options = FingerprintFilterFactory.DefaultOptions();
        options.MaxFingerprintsPerMessage = 40;
        var parts = string.Concat(Enumerable.Range(0, 3).Select(i =>
            "--b\nContent-Type: text/plain\n\n" + TestMessages.CampaignBody(i) + " part " + i + "\n"));
        var raw = "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n" + parts + "--b--\n";

        var result = FingerprintFilterFactory.Calculator(options).Compute(TestMessages.Bytes(raw));

        Assert.True(result.Fingerprints.Count <= 40);
        var part = Assert.Single(result.FuzzyParts);
        Assert.All(part.Components, c => Assert.Contains(c, result.Fingerprints));
    }
}
