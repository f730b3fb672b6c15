using System.Globalization;
using Gateway.Ctl.Cli;
using Gateway.V1;

namespace Gateway.Ctl.Commands;

/// <summary>"queue list [new|active|deferred|all] [LIMIT]": counts by state and the oldest messages.</summary>
public static class QueueListCommand
{
    private const int MaxLimit = 10_000;

    public static async Task<int> RunAsync(CommandContext context)
    {
        var query = new List<string>();
        foreach (var operand in context.Operands)
        {
            if (operand is "new" or "active" or "deferred")
            {
                query.Add("state=" + operand);
            }
            else if (operand == "all")
            {
                continue;
            }
            else if (int.TryParse(operand, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
                     && limit is >= 1 and <= MaxLimit)
            {
                query.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                throw new UsageException(
                    $"queue list takes a state (new, active, deferred, all) and a limit (1-{MaxLimit}), "
                    + $"not \"{Wording.Clean(operand)}\".");
            }
        }

        var path = "api/v1/queue" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
        var answer = await context.Api.GetAsync<QueueListing>(path, context.CancellationToken).ConfigureAwait(false);
        await context.Out.WriteAsync(context.Json
            ? answer.Json.Trim() + Environment.NewLine
            : Describe(answer.Message, DateTimeOffset.UtcNow)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    public static string Describe(QueueListing listing, DateTimeOffset now)
    {
        var text = new StringWriter();
        text.WriteLine(QueueCommand.Describe(listing.Status ?? new QueueStatus()));
        if (listing.Counts is not { } counts)
        {
            // Cluster edges from before the queue index (services/MtaEdge/Queue/Kafka/KafkaQueueIndex.cs) report
            // totals only; current edges and the standalone gateway list messages and counts by state.
            text.WriteLine("(this gateway lists no single messages: it reports the queue's totals only)");
            return text.ToString();
        }

        text.WriteLine($"By state: {counts.NewMessages} new, {counts.ActiveMessages} active, "
            + $"{counts.DeferredMessages} deferred; recipients: {counts.RecipientsPending} pending, "
            + $"{counts.RecipientsDelivered} delivered, {counts.RecipientsFailed} failed.");
        if (listing.Messages.Count == 0)
        {
            return text.ToString();
        }

        var rows = new List<string[]> { new[] { "QUEUE ID", "STATE", "AGE", "SIZE", "TRIES", "FROM", "TO" } };
        rows.AddRange(listing.Messages.Select(m => new[]
        {
            Wording.Clean(m.QueueId),
            QueueCommand.State(m.State),
            Wording.Age(m.ReceivedAt is null ? 0 : (long)(now - m.ReceivedAt.ToDateTimeOffset()).TotalSeconds),
            m.Size.ToString(CultureInfo.InvariantCulture),
            m.Attempts.ToString(CultureInfo.InvariantCulture),
            QueueCommand.Sender(m.MailFrom),
            Recipients(m),
        }));
        var widths = Enumerable.Range(0, 6).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Take(6).Select((cell, i) => cell.PadRight(widths[i]));
            text.WriteLine(string.Join("  ", cells) + "  " + row[6]);
        }

        if (listing.Truncated)
        {
            text.WriteLine($"(only the oldest {listing.Messages.Count} are listed)");
        }

        return text.ToString();
    }

    private static string Recipients(QueuedMessageInfo message)
    {
        var pending = message.Recipients.Where(r => r.State == QueuedRecipientState.Pending).ToList();
        var first = pending.Count > 0 ? Wording.Clean(pending[0].Address) : "(none pending)";
        return pending.Count > 1 ? $"{first} (+{pending.Count - 1} more)" : first;
    }
}
