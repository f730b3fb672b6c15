using Microsoft.Extensions.Logging;

namespace Gateway.RetroRemediation.Stores.Jmap;

internal static partial class JmapStoreLog
{
    [LoggerMessage(EventId = 4601, EventName = "JmapRequestFailed", Level = LogLevel.Debug,
        Message = "JMAP request for {Mailbox} failed: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string mailbox, string reason);

    [LoggerMessage(EventId = 4602, EventName = "JmapMailboxCreated", Level = LogLevel.Information,
        Message = "Created the JMAP mailbox {Name} in account {AccountId}")]
    public static partial void MailboxCreated(ILogger logger, string name, string accountId);
}
