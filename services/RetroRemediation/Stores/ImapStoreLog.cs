using Microsoft.Extensions.Logging;

namespace Gateway.RetroRemediation.Stores;

internal static partial class ImapStoreLog
{
    [LoggerMessage(EventId = 4401, EventName = "ImapJunkFolderCreated", Level = LogLevel.Information,
        Message = "Created the IMAP folder {Folder} for {Login}")]
    public static partial void JunkFolderCreated(ILogger logger, string folder, string login);

    [LoggerMessage(EventId = 4402, EventName = "ImapSessionFailed", Level = LogLevel.Debug,
        Message = "IMAP session with {Host}:{Port} for {Login} failed")]
    public static partial void SessionFailed(ILogger logger, string host, int port, string login, Exception exception);

    [LoggerMessage(EventId = 4403, EventName = "ImapDeletedNotExpunged", Level = LogLevel.Information,
        Message = "{Login}: the server has neither MOVE nor UIDPLUS; "
            + "the moved copy stays in the source folder flagged as deleted")]
    public static partial void DeletedNotExpunged(ILogger logger, string login);
}
