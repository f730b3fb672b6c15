using System.Threading.RateLimiting;
using Gateway.RetroRemediation.Configuration;

namespace Gateway.RetroRemediation.Actions;

/// <summary>
/// The per-store limits of one process: at most <c>MaxConcurrency</c> mailboxes worked on at once (each
/// holds a slot while its copies are acted on, one after another on one store session), and at most
/// <c>MaxActionsPerSecond</c> store operations started per second (a token bucket holding one second's worth).
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

    /// <summary>Slots taken now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Waits for a free slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _inFlight);
        return new Slot(this);
    }

    /// <summary>Waits until one more store operation may start under the rate limit.</summary>
    public async Task ThrottleAsync(CancellationToken cancellationToken)
    {
        if (_rate is not null)
        {
            using var lease = await _rate.AcquireAsync(1, cancellationToken);
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        _rate?.Dispose();
    }

    private sealed class Slot(StoreGate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref gate._inFlight);
                gate._slots.Release();
            }
        }
    }
}
