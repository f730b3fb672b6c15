using System.Text;
using Gateway.Ctl.Cli;
using Gateway.V1;

namespace Gateway.Ctl.Commands;

/// <summary>"remediation show ID": GET /api/v1/remediation/copies?id=ID (a copy id or a Message-ID).</summary>
public static class RemediationShowCommand
{
    public static async Task<int> RunAsync(CommandContext context)
    {
        if (context.Operands.Count != 1 || string.IsNullOrWhiteSpace(context.Operands[0]))
        {
            throw new UsageException("remediation show takes one copy id or Message-ID.");
        }

        var path = "api/v1/remediation/copies?id=" + Uri.EscapeDataString(context.Operands[0].Trim());
        var answer = await context.Api.GetAsync<RemediationCopyReport>(path, context.CancellationToken)
            .ConfigureAwait(false);
        await context.Out.WriteAsync(context.Json ? answer.Json.Trim() + Environment.NewLine : Describe(answer.Message))
            .ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    public static string Describe(RemediationCopyReport report)
    {
        var text = new StringBuilder();
        var query = Wording.Clean(report.Query);
        if (report.Copies.Count == 0 && report.Actions.Count == 0)
        {
            text.AppendLine($"Nothing known about {query}: no copy in the cache (it may have left the window) "
                + "and no remediation action on it.");
            return text.ToString();
        }

        foreach (var copy in report.Copies)
        {
            var record = copy.Record ?? new DeliveryRecord();
            text.AppendLine($"Copy {Wording.Clean(copy.CopyId)}: {Wording.Clean(record.Recipient)} "
                + $"({Wording.Store(record.Store)}, {Wording.Clean(record.Folder)})");
            text.AppendLine($"  Message-ID {Wording.Clean(record.MessageId)}, queue {Wording.Clean(record.QueueId)}, "
                + $"{Wording.Count(record.Size, "byte", "bytes")}, delivered {Wording.Time(record.DeliveredAt)}");
            var last = string.IsNullOrEmpty(copy.LastAction) ? "" : $"; last action: {Wording.Clean(copy.LastAction)}"
                + (copy.LastActionAt is null ? "" : " at " + Wording.Minute(copy.LastActionAt));
            text.AppendLine($"  state: {Wording.State(copy.State)}{last}");
            if (!string.IsNullOrEmpty(copy.ExemptBecause))
            {
                text.AppendLine($"  never touched: {Wording.Clean(copy.ExemptBecause)}");
            }
        }

        if (report.Copies.Count == 0)
        {
            text.AppendLine($"No copy of {query} is in the cache any more (its window has passed).");
        }

        if (report.Actions.Count == 0)
        {
            text.AppendLine("No remediation actions on it.");
            return text.ToString();
        }

        text.AppendLine(Wording.Count(report.Actions.Count, "action", "actions") + ", newest first:");
        RemediationListCommand.Table(text, report.Actions.Select(a => new[]
        {
            Wording.Time(a.At), Wording.Clean(a.CopyId), Wording.Clean(a.Recipient), Wording.Clean(a.Action),
            Wording.Clean(a.Result), "try " + a.Attempt, Wording.Clean(a.Detail),
        }).ToList());
        return text.ToString();
    }
}
