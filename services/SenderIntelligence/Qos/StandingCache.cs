using System.Collections.Concurrent;
using Gateway.SenderIntelligence.Store;

namespace Gateway.SenderIntelligence.Qos;

/// <summary>
/// Standings (tier, first seen, reputation) of recent senders, so that a check knows the sender's tier, and so its
/// limits, without an extra store round trip. Every check's script returns the standing afresh, which refreshes
/// the entry; an entry older than its lifetime is read again. Bounded: when full, expired entries go first, and
/// if none have expired the cache starts over.
/// </summary>
public sealed class StandingCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime;
    private readonly int _capacity;

    public StandingCache(TimeSpan lifetime, int capacity)
    {
        _lifetime = lifetime;
        _capacity = Math.Max(1, capacity);
    }

    public int Count => _entries.Count;

    public bool TryGet(string key, DateTimeOffset now, out SenderStanding standing)
    {
        if (_entries.TryGetValue(key, out var entry) && now - entry.StoredAt < _lifetime && now >= entry.StoredAt)
        {
            standing = entry.Standing;
            return true;
        }

        standing = SenderStanding.New;
        return false;
    }

    public void Set(string key, SenderStanding standing, DateTimeOffset now)
    {
        if (_entries.Count >= _capacity && !_entries.ContainsKey(key))
        {
            foreach (var (k, e) in _entries)
            {
                if (now - e.StoredAt >= _lifetime)
                {
                    _entries.TryRemove(k, out _);
                }
            }

            if (_entries.Count >= _capacity)
            {
                _entries.Clear();
            }
        }

        _entries[key] = new Entry(standing, now);
    }

    public void Invalidate(string key) => _entries.TryRemove(key, out _);

    private sealed record Entry(SenderStanding Standing, DateTimeOffset StoredAt);
}
