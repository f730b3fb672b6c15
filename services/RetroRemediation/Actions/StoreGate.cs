using System.Threading.RateLimiting;
using Gateway.RetroRemediation.Configuration;

namespace Gateway.RetroRemediation.Actions;

/// <summary>
/// The per-store limits of one process: at most <c>MaxConcurrency</c> operations in flight, and at most
/// <c>MaxActionsPerSecond</c> started per second (a token bucket holding one second's worth).
/// </summary>
public sealed class StoreGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TokenBucketRateLimiter? _rate;
    private int _inFlight;

    public StoreGate(StorePolicyOptions policy)
    {
        _slots = new SemaphoreSlim(policy.MaxConcurrency, policy.MaxConcurrency);
        if (policy.MaxActionsPerSecond > 0)
        {
            // Refill in 100 ms steps so the rate is smooth; the bucket holds one second of actions.
            var perStep = Math.Max(1, (int)Math.Round(policy.MaxActionsPerSecond / 10));
            var step = TimeSpan.FromSeconds(perStep / policy.MaxActionsPerSecond);
            _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, (int)Math.Ceiling(policy.MaxActionsPerSecond)),
                TokensPerPeriod = perStep,
                ReplenishmentPeriod = step,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
    }

    /// <summary>Operations in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Runs <paramref name="operation"/> once a slot and a rate token are free.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _inFlight);
        try
        {
            if (_rate is not null)
            {
                using var lease = await _rate.AcquireAsync(1, cancellationToken);
            }

            return await operation();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _slots.Release();
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        _rate?.Dispose();
    }
}
