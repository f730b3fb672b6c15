using Gateway.MtaEdge.Tests.Smtp.Cases;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Gateway.Testing;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>Every transcript in $GATEWAY_SHARED_DIR/cases/smtp/, one row each, against a fresh edge.</summary>
public sealed class SmtpCaseTests
{
    public static IEnumerable<object[]> CaseFiles()
    {
        var directory = TestEnvironment.CasesDir is { } cases ? Path.Combine(cases, "smtp") : null;
        if (directory is null || !Directory.Exists(directory))
        {
            // Skipped outside CI; in CI this row fails loudly instead of running nothing.
            yield return new object[] { "(no cases directory)" };
            yield break;
        }

        foreach (var path in Directory.GetFiles(directory, "*.case").OrderBy(p => p, StringComparer.Ordinal))
        {
            yield return new object[] { Path.GetFileName(path) };
        }
    }

    [RequiresTheory(TestRequirements.Shared)]
    [MemberData(nameof(CaseFiles))]
    public async Task Case_Transcript_Passes(string caseName)
    {
        var cases = TestEnvironment.CasesDir ?? throw new InvalidOperationException("no shared cases directory");
        var directory = Path.Combine(cases, "smtp");
        var file = CaseFile.Load(Path.Combine(directory, caseName));

        await using var server = await TestSmtpServer.StartAsync();
        await CaseRunner.RunAsync(file, server.EndPoint);
    }
}
