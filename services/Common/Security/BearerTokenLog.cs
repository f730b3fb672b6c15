using Microsoft.Extensions.Logging;

namespace Gateway.Common.Security;

/// <summary>Log events of <see cref="BearerToken"/>; never the token itself.</summary>
internal static partial class BearerTokenLog
{
    [LoggerMessage(EventId = 9101, EventName = "TokenFileReplaced", Level = LogLevel.Information,
        Message = "The token in {TokenFile} changed; the new one is in use")]
    public static partial void Replaced(ILogger logger, string tokenFile);

    [LoggerMessage(EventId = 9102, EventName = "TokenFileUnusable", Level = LogLevel.Warning,
        Message = "The token file {TokenFile} cannot be used ({Reason}); the last good token stays in use")]
    public static partial void FileUnusable(ILogger logger, string tokenFile, string reason);
}
