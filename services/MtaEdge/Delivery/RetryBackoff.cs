namespace Gateway.MtaEdge.Delivery;

/// <summary>
/// Waits between attempts: the initial delay doubled after each failed attempt, capped, then spread
/// by +/-20% so messages that failed together (a target outage) do not all come back together.
/// </summary>
public static class RetryBackoff
{
    private const double Jitter = 0.2;

    /// <param name="failedAttempts">Attempts made so far (1 after the first).</param>
    public static TimeSpan Delay(int failedAttempts, TimeSpan initial, TimeSpan max, double random)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 30);
        var baseTicks = Math.Min(initial.Ticks * Math.Pow(2, exponent), max.Ticks);
        var spread = 1 + Jitter * (2 * Math.Clamp(random, 0, 1) - 1);
        return TimeSpan.FromTicks((long)Math.Min(baseTicks * spread, max.Ticks));
    }
}
