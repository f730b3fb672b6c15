namespace Gateway.RetroRemediation.Actions;

/// <summary>Exponential back-off with ±20 % jitter, so many copies of one store do not all retry at once.</summary>
public static class RetryBackoff
{
    /// <param name="attempts">Tries made so far (1 after the first failure).</param>
    /// <param name="initial">Wait after the first failure.</param>
    /// <param name="max">Longest wait.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Delay(int attempts, TimeSpan initial, TimeSpan max, double random)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ticks = Math.Min(initial.Ticks * Math.Pow(2, exponent), max.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (0.8 + 0.4 * random)));
    }
}
