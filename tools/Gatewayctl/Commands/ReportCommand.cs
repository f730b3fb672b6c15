using Gateway.Ctl.Api;
using Gateway.Ctl.Cli;
using Gateway.Ctl.Input;
using Gateway.V1;

namespace Gateway.Ctl.Commands;

/// <summary>
/// "report spam|ham FILE...": sends each message to POST /api/v1/report/{spam|ham} and says what the
/// gateway learned and what remediation did with the delivered copies.
/// </summary>
public static class ReportCommand
{
    public static async Task<int> RunAsync(ReportKind kind, CommandContext context)
    {
        if (context.Operands.Count == 0)
        {
            throw new UsageException($"report {Name(kind)} needs at least one message file.");
        }

        // Read every file before sending any, so a typo in the last name does not leave half a batch reported.
        var messages = context.Operands.Select(path => (Path: path, Bytes: RawMessageFile.Read(path))).ToList();

        var exitCode = ExitCodes.Ok;
        foreach (var (path, bytes) in messages)
        {
            ApiAnswer<ReportResult> answer;
            try
            {
                answer = await context.Api.PostMessageAsync<ReportResult>(
                    "api/v1/report/" + Name(kind), bytes, context.CancellationToken).ConfigureAwait(false);
            }
            catch (AdminApiException e) when (e.ExitCode is ExitCodes.ServerError or ExitCodes.BadResponse)
            {
                // This message failed; the others may still go through.
                await context.Error.WriteLineAsync($"gatewayctl: {path}: {e.Message}").ConfigureAwait(false);
                exitCode = e.ExitCode;
                continue;
            }

            if (context.Json)
            {
                await context.Out.WriteLineAsync(answer.Json.Trim()).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteAsync(Describe(kind, path, answer.Message)).ConfigureAwait(false);
            }
        }

        return exitCode;
    }

    public static string Describe(ReportKind kind, string path, ReportResult result)
    {
        var text = new StringWriter();
        var name = Name(kind);
        if (result.Fingerprints.Count == 0)
        {
            // Nothing was learned, so nothing was convicted or moved: say only that.
            text.WriteLine($"{path}: reported as {name}, but the gateway computed no fingerprints for it "
                + "(is the body empty or too short?). Nothing was learned and no delivered copy was touched.");
            return text.ToString();
        }

        text.WriteLine($"{path}: reported as {name}; "
            + $"{Wording.Count(result.Fingerprints.Count, "fingerprint", "fingerprints")} learned:");
        foreach (var fingerprint in result.Fingerprints)
        {
            text.WriteLine("    " + Wording.Clean(fingerprint));
        }

        text.WriteLine(result.Changed
            ? kind == ReportKind.Spam
                ? "  The known-spam store changed: these fingerprints are now convicted."
                : "  The known-spam store changed: the conviction of these fingerprints was reversed."
            : kind == ReportKind.Spam
                ? "  The known-spam store did not change: these fingerprints were already convicted."
                : "  The known-spam store did not change: these fingerprints were not convicted.");

        text.WriteLine("  " + DescribeRemediation(kind, result.Remediation));
        return text.ToString();
    }

    private static string DescribeRemediation(ReportKind kind, RemediationSummary? summary)
    {
        if (summary is null)
        {
            return "No remediation ran in this call; the remediation tier acts on the conviction on its own.";
        }

        var verb = kind == ReportKind.Spam ? "moved to Junk" : "moved back out of Junk";
        if (summary.CopiesFound == 0)
        {
            return "Remediation: no delivered copies of it were recorded, so nothing was "
                + (kind == ReportKind.Spam ? "moved." : "moved back.");
        }

        return $"Remediation: {Wording.Count(summary.CopiesFound, "delivered copy", "delivered copies")} found; "
            + $"{summary.CopiesActed} {verb}, {summary.CopiesFailed} failed, {summary.CopiesSkipped} skipped.";
    }

    private static string Name(ReportKind kind) => kind == ReportKind.Spam ? "spam" : "ham";
}
