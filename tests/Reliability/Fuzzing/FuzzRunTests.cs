using Gateway.Fuzz.Harnesses;
using Gateway.Fuzz.Runner;
using Gateway.Reliability.Tests.Harness;
using Gateway.Testing;

namespace Gateway.Reliability.Tests.Fuzzing;

/// <summary>
/// Issue 9, fuzzing, the short run of the Test command: the harnesses of tools/fuzz (the same entry points afl-fuzz
/// drives through SharpFuzz) get their seeds, every saved regression input, and then seeded random mutations for a
/// fixed time. Every crash found so far is kept as an input file under tools/fuzz/regressions/&lt;target&gt;/ and must
/// pass here. This short run is the mutation runner, not coverage-guided; tools/fuzz/README.md has the long
/// afl-fuzz runs and their figures. Findings are saved under TestResults/fuzz-findings for a regression file.
/// </summary>
public sealed class FuzzRunTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("smtp", 20)]
    [InlineData("mime", 20)]
    [InlineData("proxy", 10)]
    [InlineData("policy", 10)]
    public void Harness_SeedsRegressionsAndMutations_FindNothing(string target, int seconds)
    {
        seconds = Settings.Int("RELIABILITY_FUZZ_SECONDS", seconds);
        var seed = Settings.Int("RELIABILITY_SEED", Environment.TickCount);
        using var harness = FuzzTargets.Create(target);
        var inputs = harness.Seeds(TestEnvironment.CorpusDir).Concat(Regressions(target)).ToList();
        var findings = TestEnvironment.RepositoryRoot is { } root ? Path.Combine(root, "TestResults", "fuzz-findings")
            : null;

        var report = new MutationRunner(harness, seed, FuzzTargets.MaxInputBytes(target))
            .Run(inputs, TimeSpan.FromSeconds(seconds), findings);

        Figures.Print(output, "fuzz", report.ToString());
        foreach (var finding in report.Findings)
        {
            Figures.Print(output, "fuzz", $"FINDING {finding.Key} -> {finding.SavedInput}");
        }

        Assert.True(report.Findings.Count == 0, string.Join("\n\n", report.Findings.Select(f => f.Detail)));
        Assert.True(report.Executions > inputs.Count, "the mutation phase did not run");
    }

    private static IEnumerable<byte[]> Regressions(string target) => RegressionFiles(target).Select(File.ReadAllBytes);

    private static IEnumerable<string> RegressionFiles(string target)
    {
        var dir = TestEnvironment.RepositoryRoot is { } root ? Path.Combine(root, "tools", "fuzz", "regressions",
            target) : null;
        return dir is not null && Directory.Exists(dir)
            ? Directory.GetFiles(dir).Where(f => !f.EndsWith(".md",
                StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [];
    }
}
