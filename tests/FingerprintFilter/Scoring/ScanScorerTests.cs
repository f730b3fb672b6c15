using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Store;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.V1;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Scoring;

/// <summary>How entries add up, on hand-made fingerprints and entries.</summary>
public sealed class ScanScorerTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const string Text = "t1:000000000000000000000000000000aa";
    private const string Image = "a1:000000000000000000000000000000bb";
    private const string Domain = "u1:000000000000000000000000000000cc";
    private static readonly string[] Components = Enumerable.Range(0, 32).Select(i => $"f1:{i:x2}{i:x16}").ToArray();

    private static MessageFingerprints Message(bool fuzzy = true, params string[] others) =>
        new(null, others.Concat(fuzzy ? Components : []).ToList(), fuzzy ? [new FuzzyPart("f1", Components)] : []);

    private static FingerprintEntry Entry(string fingerprint, FingerprintState? trusted = FingerprintState.Spam,
        double spamWeight = 0, double hamWeight = 0) =>
        new(fingerprint, trusted, spamWeight, hamWeight, new Dictionary<string, long> { ["admin"] = 1 }, Now, Now,
            Now.AddDays(1), "admin", 1);

    private static Dictionary<string, FingerprintEntry> Known(params FingerprintEntry[] entries) =>
        entries.ToDictionary(e => e.Fingerprint);

    private static IEnumerable<FingerprintEntry> Spam(int components) =>
        Components.Take(components).Select(c => Entry(c));

    [Fact]
    public void Score_NothingKnown_IsCleanWithoutReasons()
    {
        var result = FingerprintFilterFactory.Scorer().Score(Message(true, Text), Known(), Now);

        Assert.Equal(ScanClass.Clean, result.Classification);
        Assert.Equal(0, result.Score);
        Assert.Empty(result.Reasons);
    }

    [Fact]
    public void Score_ExactTextConvicted_IsSpam()
    {
        var result = FingerprintFilterFactory.Scorer().Score(Message(false, Text), Known(Entry(Text)), Now);

        Assert.Equal(ScanClass.Spam, result.Classification);
        Assert.Equal(10, result.Score);
        Assert.Equal([Text], result.Matched);
    }

    [Theory]
    [InlineData(8, ScanClass.Spam, 10)]
    [InlineData(7, ScanClass.Suspect, 8.75)]
    [InlineData(4, ScanClass.Suspect, 5)]
    [InlineData(3, ScanClass.Clean, 0)]
    public void Score_ShareOfFuzzyComponents_DecidesTheClass(int agreeing, ScanClass expected, double score)
    {
        var result = FingerprintFilterFactory.Scorer().Score(Message(), Known(Spam(agreeing).ToArray()), Now);

        Assert.Equal(expected, result.Classification);
        Assert.Equal(score, result.Score);
    }

    [Fact]
    public void Score_AttachmentAndDomainWithoutText_NeverConvictOrSuspect()
    {
        var result = FingerprintFilterFactory.Scorer().Score(
            Message(true, Image, Domain), Known(Entry(Image), Entry(Domain)), Now);

        Assert.Equal(ScanClass.Clean, result.Classification);
        Assert.Equal(0, result.Score);
        Assert.Equal([Image, Domain], result.Matched);
        Assert.All(result.Reasons, r => Assert.Equal(0, r.Score));
    }

    [Fact]
    public void Score_PartialFuzzyPlusDomain_IsSuspectButNotSpam()
    {
        var result = FingerprintFilterFactory.Scorer().Score(
            Message(true, Image, Domain), Known(Spam(7).Append(Entry(Domain)).Append(Entry(Image)).ToArray()), Now);

        Assert.Equal(ScanClass.Suspect, result.Classification);
        Assert.Equal(13.75, result.Score);
        Assert.Equal(["fuzzy-text", "attachment", "url-domain"], result.Reasons.Select(r => r.Rule));
    }

    [Fact]
    public void Score_PendingEntry_CountsByItsConfidence()
    {
        var result = FingerprintFilterFactory.Scorer().Score(
            Message(false, Text), Known(Entry(Text, trusted: null, spamWeight: 0.6)), Now);

        Assert.Equal(ScanClass.Suspect, result.Classification);
        Assert.Equal(6, result.Score);
        Assert.Equal(0.6, Assert.Single(result.Reasons).Confidence);
    }

    [Fact]
    public void Score_HamEntryForTheText_VouchesWhateverElseMatches()
    {
        var result = FingerprintFilterFactory.Scorer().Score(
            Message(true, Text), Known(Spam(32).Append(Entry(Text, FingerprintState.Ham)).ToArray()), Now);

        Assert.Equal(ScanClass.Clean, result.Classification);
        Assert.Equal("vouched", Assert.Single(result.Reasons).Rule);
    }

    [Fact]
    public void Score_ExpiredEntry_CountsForNothing()
    {
        var expired = Entry(Text) with { ExpiresAt = Now.AddSeconds(-1) };

        var result = FingerprintFilterFactory.Scorer().Score(Message(false, Text), Known(expired), Now);

        Assert.Equal(ScanClass.Clean, result.Classification);
    }
}
