using System.Net;
using Gateway.SenderIntelligence.Policy;
using Gateway.V1;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Policy;

public sealed class PolicyFileParserTests
{
    private const string Example = """
        # Sender policy
        tiers:
          probation:
            concurrent_connections: 2
            connections_per_window: 20
            connection_window: 30s
            messages_per_connection: 5
            recipients_per_message: 10
            messages_per_hour: 60
            bytes_per_hour: 20MB
            tarpit: 750ms
          trusted: { messages_per_hour: unlimited }
        rules:
          - name: office
            match: { ip: [192.0.2.0/24, "2001:db8::/32"] }
            tier: trusted
          - name: partners
            match:
              helo: "*.partner.example"
              sender_domain: [partner.example, "*.partner.example"]
            tier: standard
            limits: { messages_per_hour: 5000 }
          - name: suspicious
            match:
              reputation: { min: -100, max: -10.5 }
              first_seen: { newer_than: 1h }
            limits: { messages_per_hour: 1, tarpit: 5s }
          - name: catch-all
            tier: probation
        """;

    [Fact]
    public void Parse_FullExample_TiersAndRulesInOrder()
    {
        var policy = PolicyFileParser.Parse(Example, "example.yaml");

        var probation = policy.LimitsOf(SenderTier.Probation);
        Assert.Equal(
            (2L, 20L, TimeSpan.FromSeconds(30), 5L, 10L, 60L, 20L * 1024 * 1024, TimeSpan.FromMilliseconds(750)),
            (probation.ConcurrentConnections, probation.ConnectionsPerWindow, probation.ConnectionWindow,
                probation.MessagesPerConnection, probation.RecipientsPerMessage, probation.MessagesPerHour,
                probation.BytesPerHour, probation.TarpitDelay));
        Assert.Equal(SenderLimits.Unlimited, policy.LimitsOf(SenderTier.Trusted).MessagesPerHour);
        Assert.Equal(SenderPolicy.DefaultTiers[SenderTier.Trusted].ConcurrentConnections,
            policy.LimitsOf(SenderTier.Trusted).ConcurrentConnections);
        Assert.Equal(SenderPolicy.DefaultTiers[SenderTier.Standard], policy.LimitsOf(SenderTier.Standard));
        Assert.Equal(["office", "partners", "suspicious", "catch-all"], policy.Rules.Select(r => r.Name));
        Assert.Equal(14, policy.Rules[0].Line);
        Assert.Equal(5000, policy.Rules[1].Limits!.MessagesPerHour);
        Assert.Equal(TimeSpan.FromSeconds(5), policy.Rules[2].Limits!.TarpitDelay);
        Assert.Null(policy.Rules[2].Tier);
    }

    [Theory]
    [InlineData("192.0.2.7", null, null, 0, 0, "office")]
    [InlineData("2001:db8:1::1", null, null, 0, 0, "office")]
    [InlineData("203.0.113.1", "mx.partner.example", "news.partner.example", 0, 0, "partners")]
    [InlineData("203.0.113.1", "MX.Partner.Example.", "partner.example", 0, 0, "partners")]
    [InlineData("203.0.113.1", "mx.partner.example", "other.example", 0, 0, "catch-all")]
    [InlineData("203.0.113.1", null, null, -20, 30, "suspicious")]
    [InlineData("203.0.113.1", null, null, -20, 7200, "catch-all")]
    [InlineData("203.0.113.1", null, null, -5, 30, "catch-all")]
    public void Match_Facts_FirstMatchingRuleWins(
        string ip, string? helo, string? domain, double reputation, int ageSeconds, string expected)
    {
        var policy = PolicyFileParser.Parse(Example, "example.yaml");
        var facts = new SenderFacts(IPAddress.Parse(ip), helo, domain, reputation, TimeSpan.FromSeconds(ageSeconds));

        Assert.Equal(expected, policy.Match(facts)?.Name);
    }

    [Fact]
    public void Match_AtConnect_RulesOnHeloOrDomainDoNotMatch()
    {
        var policy = PolicyFileParser.Parse("""
            rules:
              - { name: by-helo, match: { helo: "*" }, tier: trusted }
              - { name: by-domain, match: { sender_domain: "*" }, tier: trusted }
            """, "p.yaml");

        Assert.Null(policy.Match(new SenderFacts(IPAddress.Loopback, null, null, 0, TimeSpan.Zero)));
        Assert.Equal("by-helo", policy.Match(new SenderFacts(IPAddress.Loopback, "x", "", 0, TimeSpan.Zero))?.Name);
        Assert.False(new PolicyRule { Name = "d", SenderDomains = [new WildcardPattern("*")] }
            .Matches(new SenderFacts(IPAddress.Loopback, "x", "", 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("# only a comment\n", 0)]
    [InlineData("rules: []\n", 0)]
    [InlineData("tiers: {}\nrules:\n", 0)]
    public void Parse_EmptyPolicies_DefaultTiersNoRules(string yaml, int rules)
    {
        var policy = PolicyFileParser.Parse(yaml, "p.yaml");

        Assert.Equal(rules, policy.Rules.Count);
        Assert.Equal(SenderPolicy.DefaultTiers[SenderTier.Probation], policy.LimitsOf(SenderTier.Probation));
    }

    [Theory]
    [InlineData("tiers: [\n", 2, "not valid YAML")]
    [InlineData("rules:\n  - name: a\n    tier: gold\n", 3, "unknown tier 'gold'")]
    [InlineData("rules:\n  - name: a\n    match: { ip: 10.0.0.1/8 }\n    tier: trusted\n", 3,
        "did you mean 10.0.0.0/8")]
    [InlineData("rules:\n  - name: a\n    match: { ip: [192.0.2.0/24, bogus] }\n    tier: trusted\n", 3, "'bogus'")]
    [InlineData("rules:\n  - name: a\n    match: { ip: 192.0.2.1 }\n", 2, "sets neither 'tier' nor 'limits'")]
    [InlineData("rules:\n  - name: a\n    tier: trusted\n    colour: red\n", 4, "unknown key 'colour' in rule 1")]
    [InlineData("tiers:\n  probation:\n    messages_per_hour: lots\n", 3, "'lots' is not a count")]
    [InlineData("tiers:\n  probation:\n    bytes_per_hour: 5 parsecs\n", 3, "is not a size")]
    [InlineData("tiers:\n  probation:\n    tarpit: 2h\n", 3, "'tarpit' must be at most 60s")]
    [InlineData("tiers:\n  blocked:\n    tarpit: 1s\n", 3, "the blocked tier has no limits")]
    [InlineData("tiers:\n  gold: {}\n", 2, "unknown key 'gold'")]
    [InlineData("rules:\n  - { name: a, tier: trusted }\n  - { name: A, tier: trusted }\n", 3, "used twice")]
    [InlineData("rules:\n  - name: a\n    match: { reputation: { min: 5, max: 1 } }\n    tier: blocked\n", 3,
        "above max")]
    [InlineData("rules:\n  - name: a\n    match: { first_seen: { older_than: soon } }\n    tier: blocked\n", 3,
        "not a duration")]
    [InlineData("rules:\n  - name: a\n    match: { helo: \"bad pattern!\" }\n    tier: blocked\n", 3,
        "not a name pattern")]
    [InlineData("rules: just-text\n", 1, "'rules' must be a list")]
    [InlineData("- a\n- b\n", 1, "must be a mapping")]
    [InlineData("rules: []\n---\nrules: []\n", 3, "more than one YAML document")]
    public void Parse_InvalidFile_RefusedWithLineAndReason(string yaml, int line, string reason)
    {
        var error = Assert.Throws<PolicyFileException>(() => PolicyFileParser.Parse(yaml, "bad.yaml"));

        Assert.Contains(error.Errors, e => e.Line == line && e.Reason.Contains(reason, StringComparison.Ordinal));
        Assert.StartsWith("bad.yaml: line ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralProblems_AllReportedInOrder()
    {
        var yaml = "tiers:\n  probation: { messages_per_hour: x }\n"
            + "rules:\n  - { name: a, tier: gold }\n  - { name: b }\n";

        var error = Assert.Throws<PolicyFileException>(() => PolicyFileParser.Parse(yaml, "bad.yaml"));

        Assert.Equal([2, 4, 5], error.Errors.Select(e => e.Line));
    }
}
