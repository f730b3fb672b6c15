using Gateway.V1;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>The feed in this process's memory (tools and tests).</summary>
public sealed class MemoryFeedLog : IFeedLog
{
    private readonly object _gate = new();
    private readonly List<FingerprintEvent> _events = [];
    private readonly List<System.Action> _subscribers = [];

    public Task<long> AppendAsync(FingerprintEvent fingerprintEvent, CancellationToken cancellationToken)
    {
        List<System.Action> notify;
        long sequence;
        lock (_gate)
        {
            sequence = _events.Count + 1;
            fingerprintEvent.Sequence = sequence;
            _events.Add(fingerprintEvent.Clone());
            notify = _subscribers.ToList();
        }

        foreach (var subscriber in notify)
        {
            subscriber();
        }

        return Task.FromResult(sequence);
    }

    public Task<FeedPage> ReadAsync(long watermark, int maxEvents, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var start = (int)Math.Clamp(watermark, 0, _events.Count);
            var events = _events.Skip(start).Take(maxEvents).Select(e => e.Clone()).ToList();
            var end = start + events.Count;
            return Task.FromResult(new FeedPage(events, end, end < _events.Count));
        }
    }

    public Task<IAsyncDisposable> SubscribeAsync(System.Action onAppend, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _subscribers.Add(onAppend);
        }

        return Task.FromResult<IAsyncDisposable>(new Unsubscriber(this, onAppend));
    }

    private sealed class Unsubscriber(MemoryFeedLog owner, System.Action onAppend) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (owner._gate)
            {
                owner._subscribers.Remove(onAppend);
            }

            return ValueTask.CompletedTask;
        }
    }
}
