using Gateway.Ctl.Cli;
using Gateway.Ctl.Input;
using Gateway.V1;

namespace Gateway.Ctl.Commands;

/// <summary>"deliveries FILE": POST /api/v1/deliveries and list every recorded copy of the message.</summary>
public static class DeliveriesCommand
{
    public static async Task<int> RunAsync(CommandContext context)
    {
        if (context.Operands.Count != 1)
        {
            throw new UsageException("deliveries takes exactly one message file.");
        }

        var bytes = RawMessageFile.Read(context.Operands[0]);
        var answer = await context.Api.PostMessageAsync<DeliveriesLookup>(
            "api/v1/deliveries", bytes, context.CancellationToken).ConfigureAwait(false);

        await context.Out.WriteAsync(context.Json ? answer.Json.Trim() + Environment.NewLine : Describe(answer.Message))
            .ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    public static string Describe(DeliveriesLookup lookup)
    {
        var text = new StringWriter();
        var messageId = lookup.Message?.MessageId;
        text.WriteLine("Message-ID: " + (string.IsNullOrEmpty(messageId) ? "(none)" : Wording.Clean(messageId)));
        var fingerprints = lookup.Message?.Fingerprints ?? [];
        text.WriteLine("Fingerprints: " + (fingerprints.Count == 0
            ? "(none)"
            : string.Join(", ", fingerprints.Select(Wording.Clean))));

        if (lookup.Copies.Count == 0)
        {
            text.WriteLine("No delivered copies recorded.");
            return text.ToString();
        }

        text.WriteLine(Wording.Count(lookup.Copies.Count, "delivered copy:", "delivered copies:"));
        var rows = lookup.Copies.Select(Row).ToList();
        var widths = Enumerable.Range(0, 4).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            text.WriteLine("  " + string.Join("  ", row.Take(4).Select((cell, i) => cell.PadRight(widths[i])))
                + "  " + row[4] + row[5]);
        }

        return text.ToString();
    }

    private static string[] Row(DeliveredCopy copy)
    {
        var record = copy.Record ?? new DeliveryRecord();
        var recipient = string.IsNullOrEmpty(record.Recipient)
            ? "(unknown recipient)"
            : Wording.Clean(record.Recipient);
        var folder = string.IsNullOrEmpty(record.Folder) ? "(unknown folder)" : Wording.Clean(record.Folder);
        var last = string.IsNullOrEmpty(copy.LastAction)
            ? "delivered at " + Wording.Time(record.DeliveredAt)
            : $"last action: {Wording.Clean(copy.LastAction)} at {Wording.Minute(copy.LastActionAt)}";
        var id = string.IsNullOrEmpty(copy.CopyId) ? "" : $" (copy {Wording.Clean(copy.CopyId)})";
        return [recipient, Wording.Store(record.Store), folder, Wording.State(copy.State), last, id];
    }
}
