namespace Gateway.SenderIntelligence.Policy;

/// <summary>Explicit limits set by a policy rule; a null value leaves the tier's limit in force.</summary>
public sealed record LimitOverlay
{
    public long? ConcurrentConnections { get; init; }

    public long? ConnectionsPerWindow { get; init; }

    public TimeSpan? ConnectionWindow { get; init; }

    public long? MessagesPerConnection { get; init; }

    public long? RecipientsPerMessage { get; init; }

    public long? MessagesPerHour { get; init; }

    public long? BytesPerHour { get; init; }

    public TimeSpan? TarpitDelay { get; init; }
}
