using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Scoring;
using Gateway.FingerprintFilter.Tests.Support;
using Gateway.V1;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Scoring;

public sealed class VerdictBuilderTests
{
    private static VerdictBuilder Builder(Action<FingerprintFilterOptions>? configure = null)
    {
        var options = FingerprintFilterFactory.DefaultOptions();
        configure?.Invoke(options);
        return new VerdictBuilder(Options.Create(options));
    }

    private static ScanAssessment Assessment(ScanClass classification, double score) =>
        new(classification, score, score, [new MatchReason { Rule = "fuzzy-text" }], []);

    [Fact]
    public void Build_SpamDefaultPolicy_Rejects550571WithoutHeaders()
    {
        var (verdict, headers) = Builder().Build(Assessment(ScanClass.Spam, 12.5), ["a@example.test"]);

        Assert.Equal(Gateway.V1.Action.Reject, verdict.Action);
        Assert.Equal(550, verdict.SmtpCode);
        Assert.Equal("5.7.1", verdict.EnhancedCode);
        Assert.Empty(headers);
    }

    [Fact]
    public void Build_SpamForTagDomain_AcceptsWithHeadersSpamAssassinStyle()
    {
        var (verdict, headers) = Builder(o => o.Policy.Domains["example.test"] = DomainPolicy.Tag)
            .Build(Assessment(ScanClass.Spam, 12.5), ["<A@Example.Test>"]);

        Assert.Equal(Gateway.V1.Action.Accept, verdict.Action);
        Assert.Equal("tagged-spam", verdict.Reason);
        Assert.Equal(
            [
                ("X-Spam-Flag", "YES"),
                ("X-Spam-Status", "Yes, score=12.5 required=10.0 tests=FP_FUZZY_TEXT"),
                ("X-Spam-Score", "12.5"),
                ("X-Spam-Level", "************"),
            ],
            headers.Select(h => (h.Name, h.Value)));
    }

    [Fact]
    public void Build_DefaultTagAndNoRecipients_Tags()
    {
        var (verdict, _) = Builder(o => o.Policy.Default = DomainPolicy.Tag).Build(Assessment(ScanClass.Spam, 10), []);

        Assert.Equal(Gateway.V1.Action.Accept, verdict.Action);
    }

    [Fact]
    public void Build_Suspect_AcceptsWithSuspectStatusAndNoFlag()
    {
        var (verdict, headers) = Builder().Build(Assessment(ScanClass.Suspect, 6), ["a@example.test"]);

        Assert.Equal("suspect", verdict.Reason);
        Assert.DoesNotContain(headers, h => h.Name == "X-Spam-Flag");
        Assert.StartsWith("Suspect, score=6.0", headers.Single(h => h.Name == "X-Spam-Status").Value);
    }

    [Fact]
    public void Build_CleanWithoutHeadersOnEveryMessage_AddsNothing()
    {
        var (verdict, headers) = Builder(o => o.Policy.HeadersOnEveryMessage = false)
            .Build(Assessment(ScanClass.Clean, 0), ["a@example.test"]);

        Assert.Equal("no-match", verdict.Reason);
        Assert.Empty(headers);
    }
}
