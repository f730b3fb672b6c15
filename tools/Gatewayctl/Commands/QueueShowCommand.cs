using Gateway.Ctl.Cli;
using Gateway.V1;

namespace Gateway.Ctl.Commands;

/// <summary>"queue show ID": one queued message, its envelope and each recipient's state.</summary>
public static class QueueShowCommand
{
    public static async Task<int> RunAsync(CommandContext context)
    {
        if (context.Operands.Count != 1)
        {
            throw new UsageException("queue show takes exactly one queue id.");
        }

        var path = "api/v1/queue/" + QueueCommand.IdPath(context.Operands[0]);
        var answer = await context.Api.GetAsync<QueuedMessageInfo>(path, context.CancellationToken)
            .ConfigureAwait(false);
        await context.Out.WriteAsync(context.Json ? answer.Json.Trim() + Environment.NewLine : Describe(answer.Message))
            .ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    public static string Describe(QueuedMessageInfo message)
    {
        var text = new StringWriter();
        text.WriteLine($"Queue ID:   {Wording.Clean(message.QueueId)}");
        var next = message.State == QueuedMessageState.Active
            ? ""
            : $", next attempt {Wording.Time(message.NextAttemptAt)}";
        text.WriteLine($"State:      {QueueCommand.State(message.State)} "
            + $"({Wording.Count(message.Attempts, "attempt", "attempts")} so far{next})");
        text.WriteLine($"From:       {QueueCommand.Sender(message.MailFrom)}");
        text.WriteLine($"Client:     {Wording.Clean(message.ClientAddress)}"
            + (message.ClientHelo.Length > 0 ? $" (HELO {Wording.Clean(message.ClientHelo)})" : ""));
        text.WriteLine($"Received:   {Wording.Time(message.ReceivedAt)}, {message.Size} octets"
            + (message.Smtputf8 ? ", SMTPUTF8" : ""));
        text.WriteLine($"Message-ID: {(message.MessageId.Length == 0 ? "(none)" : Wording.Clean(message.MessageId))}");
        if (message.DsnReturn.Length > 0 || message.DsnEnvelopeId.Length > 0)
        {
            text.WriteLine($"DSN:        RET={(message.DsnReturn.Length == 0 ? "-" : message.DsnReturn)} "
                + $"ENVID={(message.DsnEnvelopeId.Length == 0 ? "-" : Wording.Clean(message.DsnEnvelopeId))}");
        }

        text.WriteLine(Wording.Count(message.Recipients.Count, "recipient:", "recipients:"));
        var width = message.Recipients.Select(r => Wording.Clean(r.Address).Length).DefaultIfEmpty(0).Max();
        foreach (var recipient in message.Recipients)
        {
            var state = QueueCommand.State(recipient.State).PadRight(9);
            var notify = recipient.DsnNotify.Length > 0 ? $" [NOTIFY={recipient.DsnNotify}]" : "";
            var last = recipient.LastResult.Length > 0 ? "  " + Wording.Clean(recipient.LastResult) : "";
            text.WriteLine($"  {Wording.Clean(recipient.Address).PadRight(width)}  {state}{notify}{last}");
        }

        return text.ToString();
    }
}
