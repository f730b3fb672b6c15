using Microsoft.Extensions.Logging;

namespace Gateway.RetroRemediation.Stores.Maildir;

internal static partial class MaildirStoreLog
{
    [LoggerMessage(EventId = 4301, EventName = "MaildirFolderCreated", Level = LogLevel.Information,
        Message = "Created the Maildir++ folder {Folder} in {Maildir}")]
    public static partial void FolderCreated(ILogger logger, string folder, string maildir);

    [LoggerMessage(EventId = 4302, EventName = "MaildirLocationRefused", Level = LogLevel.Warning,
        Message = "Refused to act on the Maildir copy of queue {QueueId} for {Recipient}: {Reason}")]
    public static partial void LocationRefused(ILogger logger, string queueId, string recipient, string reason);

    [LoggerMessage(EventId = 4303, EventName = "MaildirSubscriptionNotRecorded", Level = LogLevel.Debug,
        Message = "Could not add {Folder} to the subscriptions of {Maildir}")]
    public static partial void SubscriptionNotRecorded(
        ILogger logger, string folder, string maildir, Exception exception);
}
