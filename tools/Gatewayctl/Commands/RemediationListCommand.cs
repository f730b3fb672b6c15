using System.Globalization;
using System.Text;
using Gateway.Ctl.Cli;
using Gateway.V1;

namespace Gateway.Ctl.Commands;

/// <summary>"remediation list [--since TIME] [--limit N]": GET /api/v1/remediation/actions.</summary>
public static class RemediationListCommand
{
    public static async Task<int> RunAsync(CommandContext context)
    {
        if (context.Operands.Count != 0)
        {
            throw new UsageException("remediation list takes no arguments; filter with --since and --limit.");
        }

        var query = new List<string>();
        if (context.Since is { } since)
        {
            var from = ParseSince(since, DateTimeOffset.UtcNow);
            var text = from.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            query.Add("since=" + Uri.EscapeDataString(text));
        }

        if (context.Limit is { } limit)
        {
            query.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
        }

        var path = "api/v1/remediation/actions" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        var answer = await context.Api.GetAsync<RemediationActionsPage>(path, context.CancellationToken)
            .ConfigureAwait(false);
        await context.Out.WriteAsync(context.Json ? answer.Json.Trim() + Environment.NewLine : Describe(answer.Message))
            .ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>An RFC 3339 time, or an age before <paramref name="now"/> such as 90s, 30m, 2h or 7d.</summary>
    public static DateTimeOffset ParseSince(string value, DateTimeOffset now)
    {
        var text = value.Trim();
        if (text.Length >= 2 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            var unit = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                _ => TimeSpan.Zero,
            };
            if (unit > TimeSpan.Zero && n <= 3650L * 24 * 3600)
            {
                return now - unit * n;
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            && text.Contains('T', StringComparison.OrdinalIgnoreCase))
        {
            return at;
        }

        throw new UsageException(
            $"--since takes an RFC 3339 time (2025-12-04T10:00:00Z) or an age (90s, 30m, 2h, 7d), not \"{value}\".");
    }

    public static string Describe(RemediationActionsPage page)
    {
        var text = new StringBuilder();
        if (page.Actions.Count == 0)
        {
            text.AppendLine("No remediation actions recorded" + (page.Pending > 0 ? "." : " (in that time)."));
        }
        else
        {
            text.AppendLine(Wording.Count(page.Actions.Count, "action", "actions") + ", newest first:");
            Table(text, page.Actions.Select(a => new[]
            {
                Wording.Time(a.At), Wording.Clean(a.CopyId), Wording.Clean(a.Recipient), Wording.Store(a.Store),
                Wording.Clean(a.Action), Wording.Clean(a.Result), Wording.Clean(a.Detail),
            }).ToList());
        }

        if (page.Truncated)
        {
            text.AppendLine("More actions match: raise --limit or narrow --since.");
        }

        if (page.Pending > 0)
        {
            text.AppendLine(Wording.Count(page.Pending, "action is", "actions are")
                + " waiting to be retried (a mailbox store down?).");
        }

        return text.ToString();
    }

    /// <summary>Rows as aligned columns; the last column is left ragged.</summary>
    internal static void Table(StringBuilder text, IReadOnlyList<string[]> rows)
    {
        var columns = rows[0].Length;
        var widths = Enumerable.Range(0, columns - 1).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Take(columns - 1).Select((cell, i) => cell.PadRight(widths[i])).Append(row[^1]);
            text.AppendLine(("  " + string.Join("  ", cells)).TrimEnd());
        }
    }
}
