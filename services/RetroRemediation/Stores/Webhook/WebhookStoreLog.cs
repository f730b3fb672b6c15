using Microsoft.Extensions.Logging;

namespace Gateway.RetroRemediation.Stores.Webhook;

internal static partial class WebhookStoreLog
{
    [LoggerMessage(EventId = 4701, EventName = "WebhookAttemptFailed", Level = LogLevel.Debug,
        Message = "Webhook call for copy {CopyId} failed on try {Attempt}: {Reason}")]
    public static partial void AttemptFailed(ILogger logger, string copyId, int attempt, string reason);
}
