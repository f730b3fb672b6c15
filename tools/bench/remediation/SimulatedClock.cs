namespace Gateway.Bench.Remediation;

/// <summary>A clock that reads a function: the memory benchmark moves time on with the copies recorded.</summary>
public sealed class SimulatedClock(Func<DateTimeOffset> now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now();
}
