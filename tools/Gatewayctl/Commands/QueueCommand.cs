using Gateway.Ctl.Cli;
using Gateway.V1;

namespace Gateway.Ctl.Commands;

/// <summary>"queue": GET /api/v1/queue.</summary>
public static class QueueCommand
{
    public static async Task<int> RunAsync(CommandContext context)
    {
        if (context.Operands.Count != 0)
        {
            throw new UsageException("queue takes no arguments.");
        }

        var answer = await context.Api.GetAsync<QueueStatus>("api/v1/queue", context.CancellationToken)
            .ConfigureAwait(false);
        await context.Out.WriteLineAsync(context.Json ? answer.Json.Trim() : Describe(answer.Message))
            .ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    public static string Describe(QueueStatus status)
    {
        if (status.Messages == 0 && status.RecipientsPending == 0)
        {
            return "The queue is empty.";
        }

        return $"{Wording.Count(status.Messages, "message", "messages")} queued, "
            + $"{Wording.Count(status.RecipientsPending, "recipient", "recipients")} pending; "
            + $"the oldest has waited {Wording.Age(status.OldestAgeSeconds)}.";
    }
}
