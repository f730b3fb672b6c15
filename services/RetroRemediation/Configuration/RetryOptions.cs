namespace Gateway.RetroRemediation.Configuration;

/// <summary>
/// The durable pending-action list: an action whose store is down stays there and is retried with
/// exponential back-off (plus jitter) until it has a final result or its copy leaves the window.
/// </summary>
public sealed class RetryOptions
{
    /// <summary>Wait before the second try; doubles with each further try up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long an action being carried out by the event that queued it is left alone by the background
    /// worker. If that process dies, the worker of any gateway process takes the action over after this.
    /// </summary>
    public TimeSpan InlineGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest time one store action may take before it counts as a failed try.</summary>
    public TimeSpan ActionTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the worker looks for actions that are due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Upper bound on the pending list; beyond it new actions are refused loudly, never dropped silently.
    /// </summary>
    public int MaxPending { get; set; } = 1_000_000;
}
