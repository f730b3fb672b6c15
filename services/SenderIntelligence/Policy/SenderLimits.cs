using Gateway.V1;

namespace Gateway.SenderIntelligence.Policy;

/// <summary>
/// What a sender may do: the limits of its tier, possibly overlaid by a rule's explicit limits. A count of
/// <see cref="Unlimited"/> means no limit; 0 allows nothing.
/// </summary>
public sealed record SenderLimits
{
    public const long Unlimited = -1;

    public long ConcurrentConnections { get; init; }

    public long ConnectionsPerWindow { get; init; }

    public TimeSpan ConnectionWindow { get; init; } = TimeSpan.FromMinutes(1);

    public long MessagesPerConnection { get; init; }

    public long RecipientsPerMessage { get; init; }

    public long MessagesPerHour { get; init; }

    public long BytesPerHour { get; init; }

    public TimeSpan TarpitDelay { get; init; }

    /// <summary>Nothing allowed: the blocked tier.</summary>
    public static SenderLimits None { get; } = new();

    /// <summary>True when <paramref name="count"/> more would go past <paramref name="limit"/>.</summary>
    public static bool Exceeds(long limit, double current, double adding) =>
        limit != Unlimited && current + adding > limit;

    /// <summary>These limits with every value the overlay sets replaced.</summary>
    public SenderLimits With(LimitOverlay overlay) => this with
    {
        ConcurrentConnections = overlay.ConcurrentConnections ?? ConcurrentConnections,
        ConnectionsPerWindow = overlay.ConnectionsPerWindow ?? ConnectionsPerWindow,
        ConnectionWindow = overlay.ConnectionWindow ?? ConnectionWindow,
        MessagesPerConnection = overlay.MessagesPerConnection ?? MessagesPerConnection,
        RecipientsPerMessage = overlay.RecipientsPerMessage ?? RecipientsPerMessage,
        MessagesPerHour = overlay.MessagesPerHour ?? MessagesPerHour,
        BytesPerHour = overlay.BytesPerHour ?? BytesPerHour,
        TarpitDelay = overlay.TarpitDelay ?? TarpitDelay,
    };

    /// <summary>
    /// The limits part-way from <paramref name="from"/> (the tier a sender was promoted from) to
    /// <paramref name="ceiling"/> (the tier it is in). The result never exceeds the ceiling's limits (nor its
    /// tarpit goes below the ceiling's), whatever <paramref name="progress"/> says.
    /// </summary>
    public static SenderLimits Ramp(SenderLimits from, SenderLimits ceiling, double progress)
    {
        progress = Math.Clamp(double.IsNaN(progress) ? 0 : progress, 0, 1);
        return ceiling with
        {
            ConcurrentConnections = RampCount(from.ConcurrentConnections, ceiling.ConcurrentConnections, progress),
            ConnectionsPerWindow = RampCount(from.ConnectionsPerWindow, ceiling.ConnectionsPerWindow, progress),
            MessagesPerConnection = RampCount(from.MessagesPerConnection, ceiling.MessagesPerConnection, progress),
            RecipientsPerMessage = RampCount(from.RecipientsPerMessage, ceiling.RecipientsPerMessage, progress),
            MessagesPerHour = RampCount(from.MessagesPerHour, ceiling.MessagesPerHour, progress),
            BytesPerHour = RampCount(from.BytesPerHour, ceiling.BytesPerHour, progress),
            TarpitDelay = from.TarpitDelay <= ceiling.TarpitDelay
                ? ceiling.TarpitDelay
                : from.TarpitDelay - ((from.TarpitDelay - ceiling.TarpitDelay) * progress),
        };
    }

    public Gateway.V1.TierLimits ToMessage() => new()
    {
        ConcurrentConnections = ConcurrentConnections,
        ConnectionsPerWindow = ConnectionsPerWindow,
        ConnectionWindowSeconds = (long)ConnectionWindow.TotalSeconds,
        MessagesPerConnection = MessagesPerConnection,
        RecipientsPerMessage = RecipientsPerMessage,
        MessagesPerHour = MessagesPerHour,
        BytesPerHour = BytesPerHour,
        TarpitDelayMs = (long)TarpitDelay.TotalMilliseconds,
    };

    private static long RampCount(long from, long ceiling, double progress)
    {
        if (ceiling == Unlimited)
        {
            // No way to go part-way to "unlimited": stay at the previous tier's value until the ramp is done.
            return progress >= 1 || from == Unlimited ? Unlimited : from;
        }

        if (from == Unlimited || from >= ceiling)
        {
            return ceiling;
        }

        return Math.Min(ceiling, from + (long)Math.Floor((ceiling - from) * progress));
    }
}
