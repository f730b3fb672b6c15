namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// The shared store of fingerprints. Every method throws <see cref="FingerprintStoreUnavailableException"/>
/// when the backing store cannot answer, and nothing else for a store fault.
/// </summary>
public interface IFingerprintStore
{
    /// <summary>The entries of those fingerprints the store knows, in one round trip.</summary>
    Task<IReadOnlyDictionary<string, FingerprintEntry>> LookupAsync(
        IReadOnlyList<string> fingerprints, CancellationToken cancellationToken);

    /// <summary>
    /// Records a report on every fingerprint: counts it under its source class, stamps first and last
    /// seen, renews the expiry, and either sets the trusted decision or adds the weight (once per
    /// reporter and fingerprint). Appends the change to the change log and notifies other nodes.
    /// </summary>
    Task<StoreReportOutcome> ApplyReportAsync(StoreReport report, CancellationToken cancellationToken);

    /// <summary>One fingerprint's entry, or null when unknown.</summary>
    Task<FingerprintEntry?> GetAsync(string fingerprint, CancellationToken cancellationToken);

    /// <summary>The current end of the change log (a watermark that reads nothing older).</summary>
    Task<long> CurrentWatermarkAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Entries changed after <paramref name="watermark"/>, at most about <paramref name="maxChanges"/> log entries.
    /// </summary>
    Task<ChangePage> ReadChangesAsync(long watermark, int maxChanges, CancellationToken cancellationToken);

    /// <summary>Every entry in the store, in pages (a full reload of a node's copy).</summary>
    IAsyncEnumerable<IReadOnlyList<FingerprintEntry>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="onChange"/> soon after any node changes the store (best effort: a lost
    /// notification only delays a node until its next poll). Dispose the result to stop.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(Action onChange, CancellationToken cancellationToken);
}
