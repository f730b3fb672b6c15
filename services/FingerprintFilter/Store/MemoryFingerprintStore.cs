using System.Runtime.CompilerServices;
using Gateway.FingerprintFilter.Fingerprinting;

namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// The store in this process's memory, with the Redis store's semantics (weights once per reporter,
/// trusted decisions, change log, notifications). For one-process use: the evaluation and benchmark
/// tools, and tests. Nothing survives a restart and nothing is shared with other nodes.
/// </summary>
public sealed class MemoryFingerprintStore : IFingerprintStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, FingerprintEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _reporters = new(StringComparer.Ordinal);
    private readonly List<(long Sequence, string[] Fingerprints)> _log = [];
    private readonly List<Action> _subscribers = [];
    private readonly TimeProvider _time;
    private long _sequence;

    public MemoryFingerprintStore(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>When true every call throws <see cref="FingerprintStoreUnavailableException"/> (an outage).</summary>
    public bool Unavailable { get; set; }

    /// <summary>How many lookups reached the store (scans served from a node's copy do not).</summary>
    public int Lookups { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public Task<IReadOnlyDictionary<string, FingerprintEntry>> LookupAsync(
        IReadOnlyList<string> fingerprints, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        lock (_gate)
        {
            Lookups++;
            var now = _time.GetUtcNow();
            IReadOnlyDictionary<string, FingerprintEntry> found = fingerprints
                .Distinct(StringComparer.Ordinal)
                .Where(fp => _entries.TryGetValue(fp, out var e) && e.ExpiresAt > now)
                .ToDictionary(fp => fp, fp => _entries[fp], StringComparer.Ordinal);
            return Task.FromResult(found);
        }
    }

    public Task<StoreReportOutcome> ApplyReportAsync(StoreReport report, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        List<Action> notify;
        StoreReportOutcome outcome;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var fingerprints = report.Fingerprints.Distinct(StringComparer.Ordinal).ToList();
            var before = new Dictionary<string, FingerprintEntry>(StringComparer.Ordinal);
            var after = new Dictionary<string, FingerprintEntry>(StringComparer.Ordinal);
            var earlier = new HashSet<ReporterVerdict>();
            var anyAdded = false;
            var sequence = fingerprints.Count == 0 ? _sequence : ++_sequence;
            var mark = (report.Verdict == FingerprintState.Spam ? "s|" : "h|") + report.Reporter;
            foreach (var fp in fingerprints)
            {
                var old = _entries.TryGetValue(fp, out var existing) && existing.ExpiresAt > now ? existing : null;
                if (old is not null)
                {
                    before[fp] = old;
                }

                var countWeight = false;
                if (report.Trusted && FingerprintKinds.IdentifiesContent(fp) && _reporters.Remove(fp, out var marks))
                {
                    foreach (var m in marks)
                    {
                        var verdict = m[0] == 's' ? FingerprintState.Spam : FingerprintState.Ham;
                        earlier.Add(new ReporterVerdict(m[2..], verdict));
                    }
                }
                else if (!report.Trusted)
                {
                    if (!_reporters.TryGetValue(fp, out var set))
                    {
                        _reporters[fp] = set = new HashSet<string>(StringComparer.Ordinal);
                    }

                    countWeight = set.Add(mark);
                    anyAdded |= countWeight;
                }

                var counts = new Dictionary<string, long>(old?.ReportsBySource ?? new Dictionary<string, long>());
                counts[report.SourceClass] = counts.GetValueOrDefault(report.SourceClass) + 1;
                var weight = countWeight ? report.Weight : 0;
                var entry = new FingerprintEntry(
                    fp,
                    report.Trusted ? report.Verdict : old?.Trusted,
                    (old?.SpamWeight ?? 0) + (report.Verdict == FingerprintState.Spam ? weight : 0),
                    (old?.HamWeight ?? 0) + (report.Verdict == FingerprintState.Ham ? weight : 0),
                    counts,
                    old?.FirstSeen ?? now,
                    now,
                    now + report.Ttl,
                    report.Source,
                    sequence);
                _entries[fp] = entry;
                after[fp] = entry;
            }

            if (fingerprints.Count > 0)
            {
                _log.Add((sequence, fingerprints.ToArray()));
            }

            outcome = new StoreReportOutcome(before, after, earlier.ToList(), !report.Trusted && !anyAdded);
            notify = _subscribers.ToList();
        }

        foreach (var subscriber in notify)
        {
            subscriber();
        }

        return Task.FromResult(outcome);
    }

    public Task<FingerprintEntry?> GetAsync(string fingerprint, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        lock (_gate)
        {
            return Task.FromResult(_entries.TryGetValue(fingerprint, out var e) && e.ExpiresAt > _time.GetUtcNow()
                ? e
                : null);
        }
    }

    public Task<long> CurrentWatermarkAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        lock (_gate)
        {
            return Task.FromResult(_sequence);
        }
    }

    public Task<ChangePage> ReadChangesAsync(long watermark, int maxChanges, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var changes = _log.Where(c => c.Sequence > watermark).Take(maxChanges).ToList();
            var changed = changes.SelectMany(c => c.Fingerprints).Distinct(StringComparer.Ordinal).ToList();
            var entries = changed.Where(fp => _entries.TryGetValue(fp, out var e) && e.ExpiresAt > now)
                .Select(fp => _entries[fp]).ToList();
            var removed = changed.Where(fp => !_entries.TryGetValue(fp, out var e) || e.ExpiresAt <= now).ToList();
            var last = changes.Count > 0 ? changes[^1].Sequence : Math.Max(watermark, 0);
            return Task.FromResult(new ChangePage(entries, removed, last, changes.Count >= maxChanges, false));
        }
    }

    public async IAsyncEnumerable<IReadOnlyList<FingerprintEntry>> ReadAllAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        List<FingerprintEntry> all;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            all = _entries.Values.Where(e => e.ExpiresAt > now).ToList();
        }

        await Task.Yield();
        foreach (var page in all.Chunk(500))
        {
            yield return page;
        }
    }

    public Task<IAsyncDisposable> SubscribeAsync(Action onChange, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        lock (_gate)
        {
            _subscribers.Add(onChange);
        }

        return Task.FromResult<IAsyncDisposable>(new Subscription(this, onChange));
    }

    private void ThrowIfUnavailable()
    {
        if (Unavailable)
        {
            throw new FingerprintStoreUnavailableException("simulated outage", new TimeoutException());
        }
    }

    private sealed class Subscription(MemoryFingerprintStore owner, Action onChange) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (owner._gate)
            {
                owner._subscribers.Remove(onChange);
            }

            return ValueTask.CompletedTask;
        }
    }
}
