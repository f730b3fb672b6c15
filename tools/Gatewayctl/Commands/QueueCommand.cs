using Gateway.Ctl.Cli;
using Gateway.V1;

namespace Gateway.Ctl.Commands;

/// <summary>
/// "queue [list|show|retry|delete] ...": queue administration (protos/gateway/v1/queue_admin.proto).
/// "queue" alone lists, as it always did.
/// </summary>
public static class QueueCommand
{
    public static Task<int> RunAsync(CommandContext context)
    {
        var operands = context.Operands;
        var verb = operands.Count == 0 ? "list" : operands[0];
        var rest = context with { Operands = operands.Skip(1).ToList() };
        return verb switch
        {
            "list" => QueueListCommand.RunAsync(rest),
            "show" => QueueShowCommand.RunAsync(rest),
            "retry" => QueueActionCommand.RetryAsync(rest),
            "delete" => QueueActionCommand.DeleteAsync(rest),
            _ => throw new UsageException($"unknown queue command \"{verb}\": use list, show, retry or delete."),
        };
    }

    /// <summary>The one-line summary of the queue.</summary>
    public static string Describe(QueueStatus status)
    {
        if (status.Messages == 0 && status.RecipientsPending == 0)
        {
            return "The queue is empty.";
        }

        return $"{Wording.Count(status.Messages, "message", "messages")} queued, "
            + $"{Wording.Count(status.RecipientsPending, "recipient", "recipients")} pending; "
            + $"the oldest has waited {Wording.Age(status.OldestAgeSeconds)}."
            + (status.RecordsWaiting > status.Messages
                ? $" ({Wording.Count(status.RecordsWaiting, "record", "records")} on the queue topics, retries included.)"
                : "");
    }

    /// <summary>A queue id as it goes into a URL path; refused when it cannot be one.</summary>
    public static string IdPath(string queueId)
    {
        if (queueId.Length is 0 or > 64 || !queueId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new UsageException($"\"{Wording.Clean(queueId)}\" is not a queue id (letters, digits, - and _).");
        }

        return Uri.EscapeDataString(queueId);
    }

    public static string State(QueuedMessageState state) => state switch
    {
        QueuedMessageState.New => "new",
        QueuedMessageState.Active => "active",
        QueuedMessageState.Deferred => "deferred",
        _ => "unknown",
    };

    public static string State(QueuedRecipientState state) => state switch
    {
        QueuedRecipientState.Pending => "pending",
        QueuedRecipientState.Delivered => "delivered",
        QueuedRecipientState.Failed => "failed",
        _ => "unknown",
    };

    public static string Sender(string mailFrom) => mailFrom.Length == 0 ? "<> (report)" : Wording.Clean(mailFrom);
}
