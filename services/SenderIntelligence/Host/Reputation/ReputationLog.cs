namespace Gateway.SenderIntelligence.Host.Reputation;

/// <summary>Log events of the reputation outcome consumer (event ids 7320-7329).</summary>
internal static partial class ReputationLog
{
    [LoggerMessage(EventId = 7320, EventName = "ReputationOutcomeUnreadable", Level = LogLevel.Warning,
        Message = "Unreadable reputation outcome at {Topic} [{Partition}] @{Offset}; skipped")]
    public static partial void Unreadable(ILogger logger, string topic, int partition, long offset,
        Exception exception);
}
