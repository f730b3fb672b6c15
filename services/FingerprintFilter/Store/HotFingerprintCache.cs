using System.Collections.Concurrent;
using Gateway.FingerprintFilter.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// This node's in-memory copy of the fingerprint store, so a scan costs no network round trip. It is
/// loaded whole, then kept current from the store's change log (<see cref="HotCacheSynchronizer"/>
/// polls it and wakes on pub/sub notifications). Entries carry their change sequence, so an older
/// version never overwrites a newer one whichever path delivers it first.
/// </summary>
public sealed class HotFingerprintCache
{
    /// <summary>
    /// Changes re-read before the watermark taken at a full load, covering writers in flight during it.
    /// </summary>
    private const long ReloadOverlap = 256;

    private const int PageSize = 1000;

    private readonly IFingerprintStore _store;
    private readonly HotCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _syncGate = new(1, 1);
    private ConcurrentDictionary<string, FingerprintEntry> _entries = new(StringComparer.Ordinal);
    private long _watermark;
    private long _lastSyncTicks;
    private long _lastReloadTicks;
    private volatile bool _loaded;

    public HotFingerprintCache(IFingerprintStore store, IOptions<FingerprintFilterOptions> options, TimeProvider time)
    {
        _store = store;
        _options = options.Value.HotCache;
        _time = time;
    }

    public int Count => _entries.Count;

    public long Watermark => Interlocked.Read(ref _watermark);

    /// <summary>When the copy last caught up with the store.</summary>
    public DateTimeOffset LastSync => new(Interlocked.Read(ref _lastSyncTicks), TimeSpan.Zero);

    /// <summary>Whether the copy may answer scans: loaded, and caught up within MaxStaleness.</summary>
    public bool IsFresh => _options.Enabled && _loaded && _time.GetUtcNow() - LastSync <= _options.MaxStaleness;

    /// <summary>Whether a full reload is due (never loaded, or FullReloadInterval passed).</summary>
    public bool ReloadDue =>
        !_loaded || _time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastReloadTicks), TimeSpan.Zero)
        >= _options.FullReloadInterval;

    /// <summary>The entries this node knows for <paramref name="fingerprints"/> (expired ones left out).</summary>
    public IReadOnlyDictionary<string, FingerprintEntry> Lookup(IReadOnlyList<string> fingerprints)
    {
        var now = _time.GetUtcNow();
        var entries = _entries;
        var found = new Dictionary<string, FingerprintEntry>(StringComparer.Ordinal);
        foreach (var fingerprint in fingerprints)
        {
            if (entries.TryGetValue(fingerprint, out var entry) && entry.ExpiresAt > now)
            {
                found[fingerprint] = entry;
            }
        }

        return found;
    }

    /// <summary>Applies entries this node learned itself, so it sees its own reports at once.</summary>
    public void Apply(IEnumerable<FingerprintEntry> entries)
    {
        foreach (var entry in entries)
        {
            Put(_entries, entry);
        }
    }

    /// <summary>Loads the whole store into a fresh copy and swaps it in.</summary>
    /// <exception cref="FingerprintStoreUnavailableException">The store did not answer; the old copy stays.</exception>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _syncGate.WaitAsync(cancellationToken);
        try
        {
            var watermark = await _store.CurrentWatermarkAsync(cancellationToken);
            var fresh = new ConcurrentDictionary<string, FingerprintEntry>(StringComparer.Ordinal);
            await foreach (var page in _store.ReadAllAsync(cancellationToken))
            {
                foreach (var entry in page)
                {
                    Put(fresh, entry);
                }
            }

            _entries = fresh;
            Interlocked.Exchange(ref _watermark, Math.Max(0, watermark - ReloadOverlap));
            await CatchUpAsync(cancellationToken);
            _loaded = true;
            Interlocked.Exchange(ref _lastReloadTicks, _time.GetUtcNow().UtcTicks);
        }
        finally
        {
            _syncGate.Release();
        }
    }

    /// <summary>Reads the change log from the watermark and applies it; reloads if the log lost track.</summary>
    /// <returns>The number of changed fingerprints applied.</returns>
    /// <exception cref="FingerprintStoreUnavailableException">The store did not answer.</exception>
    public async Task<int> SyncAsync(CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            await ReloadAsync(cancellationToken);
            return _entries.Count;
        }

        bool reset;
        int applied;
        await _syncGate.WaitAsync(cancellationToken);
        try
        {
            (applied, reset) = await CatchUpAsync(cancellationToken);
        }
        finally
        {
            _syncGate.Release();
        }

        if (reset)
        {
            await ReloadAsync(cancellationToken);
        }

        return applied;
    }

    private async Task<(int Applied, bool Reset)> CatchUpAsync(CancellationToken cancellationToken)
    {
        var applied = 0;
        for (var pages = 0; pages < 10_000; pages++)
        {
            var page = await _store.ReadChangesAsync(Watermark, PageSize, cancellationToken);
            if (page.Reset)
            {
                return (applied, true);
            }

            foreach (var entry in page.Entries)
            {
                Put(_entries, entry);
            }

            foreach (var removed in page.Removed)
            {
                _entries.TryRemove(removed, out _);
            }

            applied += page.Entries.Count + page.Removed.Count;
            Interlocked.Exchange(ref _watermark, page.Watermark);
            if (!page.More)
            {
                break;
            }
        }

        Interlocked.Exchange(ref _lastSyncTicks, _time.GetUtcNow().UtcTicks);
        return (applied, false);
    }

    private static void Put(ConcurrentDictionary<string, FingerprintEntry> entries, FingerprintEntry entry) =>
        entries.AddOrUpdate(entry.Fingerprint, entry, (_, old) => entry.Sequence >= old.Sequence ? entry : old);
}
