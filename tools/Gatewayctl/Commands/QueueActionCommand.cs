using Gateway.Ctl.Cli;
using Gateway.V1;

namespace Gateway.Ctl.Commands;

/// <summary>"queue retry ID...|all" and "queue delete ID...": act on queued messages, one request each.</summary>
public static class QueueActionCommand
{
    public static async Task<int> RetryAsync(CommandContext context)
    {
        if (context.Operands.Count == 0)
        {
            throw new UsageException("queue retry takes queue ids, or \"all\".");
        }

        if (context.Operands is ["all"])
        {
            var answer = await context.Api.PostAsync<QueueActionResult>("api/v1/queue/retry", context.CancellationToken)
                .ConfigureAwait(false);
            await WriteAsync(context, answer.Json,
                $"{Wording.Count(answer.Message.Count, "message", "messages")} will be tried again now.")
                .ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var paths = context.Operands.Select(id => (Id: id, Path: QueueCommand.IdPath(id))).ToList();
        foreach (var (id, path) in paths)
        {
            var answer = await context.Api.PostAsync<QueueActionResult>(
                $"api/v1/queue/{path}/retry", context.CancellationToken).ConfigureAwait(false);
            await WriteAsync(context, answer.Json, $"{Wording.Clean(id)} will be tried again now.")
                .ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    public static async Task<int> DeleteAsync(CommandContext context)
    {
        if (context.Operands.Count == 0)
        {
            throw new UsageException("queue delete takes one or more queue ids.");
        }

        if (context.Operands.Any(id => id.Equals("all", StringComparison.OrdinalIgnoreCase)))
        {
            // Deleting a whole queue is never what one word should do; "retry all" exists, "delete all" does not.
            throw new UsageException("queue delete takes queue ids; there is no \"delete all\".");
        }

        // Every id is checked before the first request, so a typo deletes nothing.
        var paths = context.Operands.Select(id => (Id: id, Path: QueueCommand.IdPath(id))).ToList();
        foreach (var (id, path) in paths)
        {
            var answer = await context.Api.DeleteAsync<QueueActionResult>(
                $"api/v1/queue/{path}", context.CancellationToken).ConfigureAwait(false);
            await WriteAsync(context, answer.Json, $"{Wording.Clean(id)} deleted from the queue.")
                .ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    private static Task WriteAsync(CommandContext context, string json, string sentence) =>
        context.Out.WriteLineAsync(context.Json ? json.Trim() : sentence);
}
