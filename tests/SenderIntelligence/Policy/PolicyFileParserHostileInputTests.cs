using System.Text;
using Gateway.SenderIntelligence.Policy;
using Gateway.V1;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Policy;

/// <summary>
/// Inputs the policy-file fuzzer found (tools/fuzz, harness "policy"; the same inputs are kept under
/// tools/fuzz/regressions/policy). YamlDotNet threw ArgumentException or InvalidOperationException for them, which
/// the parser did not catch, and overflowed the stack (ending the process) on deep nesting and on an alias inside the
/// node it names (afl-fuzz: a 39-byte file whose mapping key aliases the mapping; hashing the key recursed without
/// end). Each must now be refused like any other broken file: a PolicyFileException with a positioned "not valid
/// YAML" error.
/// </summary>
public sealed class PolicyFileParserHostileInputTests
{
    public static TheoryData<string, string> Inputs => new()
    {
        { "empty key in a block mapping", "rules:\n : a\n " },
        { "empty verbatim tag", "[!<>,,,B`e,\u007f,,]" },
        { "global tag that is not a URI", "!!i[nt" },
        {
            "scanner left in a bad state",
            "tiers:\n  blocked: { tar{ tarpit: robation: [1, 2]extra: 1\npitextra: 1\npit\nextra: 1\npit2m }\n"
                + "  probation: [1, 2]extra: 1\npitextra: 1\npit\nextra: 1\npit"
        },
        { "tokens after the document end marker", "...\n- ;name: \ufffd1b}]\n, -\\, " },
        { "flow sequences 60000 deep", new string('[', 60_000) },
        { "block sequences 30000 deep", string.Concat(Enumerable.Repeat("- ", 30_000)) + "x" },
        { "flow mappings 20000 deep", "rules:\n  - " + string.Concat(Enumerable.Repeat("{a: ", 20_000)) },
        { "alias inside the mapping it names (afl-fuzz)", AliasCycle },
    };

    /// <summary>The afl-fuzz input (bytes that are not UTF-8 read as U+FFFD, as the watcher reads the file).</summary>
    private static string AliasCycle => Encoding.UTF8.GetString(Convert.FromHexString(
        "26ba0a03443a443a0a202a1b3a25202a800a202a2a2a2a1b3a25202a800a202a1b3a801b3a8000"));

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Parse_MalformedYamlFoundByFuzzing_RefusedAsInvalidYaml(string what, string yaml)
    {
        var error = Assert.Throws<PolicyFileException>(() => PolicyFileParser.Parse(yaml, "fuzz.yaml"));

        var only = Assert.Single(error.Errors);
        Assert.True(only.Line >= 1 && only.Column >= 1, $"{what}: {only}");
        Assert.StartsWith("not valid YAML", only.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestingAtTheLimit_IsNotRefusedForDepth()
    {
        // 64 levels: the root mapping, 'rules', and 62 nested sequences under one rule's 'match: ip'.
        var yaml = DeepIpList(PolicyFileParser.MaxDepth - 4);

        var error = Assert.Throws<PolicyFileException>(() => PolicyFileParser.Parse(yaml, "p.yaml"));

        // Refused for what it means (an ip list of lists), not for its depth.
        Assert.DoesNotContain(error.Errors, e => e.Reason.Contains("nested", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Reason.Contains("single value", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NestingOverTheLimit_RefusedWithItsPosition()
    {
        var yaml = DeepIpList(PolicyFileParser.MaxDepth);

        var error = Assert.Throws<PolicyFileException>(() => PolicyFileParser.Parse(yaml, "p.yaml"));

        var only = Assert.Single(error.Errors);
        Assert.Equal(4, only.Line);
        Assert.Contains($"nested more than {PolicyFileParser.MaxDepth} levels", only.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AliasInsideTheNodeItNames_RefusedAsACycle()
    {
        var error = Assert.Throws<PolicyFileException>(() => PolicyFileParser.Parse(AliasCycle, "p.yaml"));

        Assert.Contains("(a cycle)", Assert.Single(error.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AliasToAnEarlierNode_StillAllowed()
    {
        var yaml = "tiers:\n  probation: &limits { messages_per_hour: 10 }\n  standard: *limits\n";

        var policy = PolicyFileParser.Parse(yaml, "p.yaml");

        Assert.Equal(10, policy.LimitsOf(SenderTier.Standard).MessagesPerHour);
    }

    private static string DeepIpList(int depth) =>
        "rules:\n  - name: deep\n    tier: trusted\n    match: { ip: "
        + new string('[', depth) + "192.0.2.1" + new string(']', depth) + " }\n";
}
