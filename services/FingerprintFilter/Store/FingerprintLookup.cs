namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// Where a scan looks fingerprints up: this node's copy while it is fresh, else the shared store
/// (one pipelined round trip), which throws <see cref="FingerprintStoreUnavailableException"/> when down.
/// </summary>
public sealed class FingerprintLookup(HotFingerprintCache cache, IFingerprintStore store)
{
    /// <summary>Whether lookups are answered from this node's memory right now.</summary>
    public bool IsHot => cache.IsFresh;

    public async ValueTask<IReadOnlyDictionary<string, FingerprintEntry>> LookupAsync(
        IReadOnlyList<string> fingerprints, CancellationToken cancellationToken) =>
        cache.IsFresh ? cache.Lookup(fingerprints) : await store.LookupAsync(fingerprints, cancellationToken);
}
