using Microsoft.Extensions.Logging;

namespace Gateway.RetroRemediation.Stores.Imap;

internal static partial class ImapStoreLog
{
    [LoggerMessage(EventId = 4401, EventName = "ImapFolderCreated", Level = LogLevel.Information,
        Message = "Created the IMAP folder {Folder} for {Login}")]
    public static partial void FolderCreated(ILogger logger, string folder, string login);

    [LoggerMessage(EventId = 4402, EventName = "ImapSessionFailed", Level = LogLevel.Debug,
        Message = "IMAP session with {Host}:{Port} for {Login} failed")]
    public static partial void SessionFailed(ILogger logger, string host, int port, string login, Exception exception);

    [LoggerMessage(EventId = 4403, EventName = "ImapDeletedNotExpunged", Level = LogLevel.Information,
        Message = "{Login}: the server has neither MOVE nor UIDPLUS; "
            + "the copy stays in the source folder flagged as deleted")]
    public static partial void DeletedNotExpunged(ILogger logger, string login);

    [LoggerMessage(EventId = 4404, EventName = "ImapReusedSessionLost", Level = LogLevel.Debug,
        Message = "The kept IMAP session for {Login} was closed by the server; trying a new one")]
    public static partial void ReusedSessionLost(ILogger logger, string login);
}
