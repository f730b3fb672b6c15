namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// Known fingerprints and their state. Every method throws <see cref="FingerprintStoreUnavailableException"/>
/// when the backing store cannot answer, and nothing else for a store fault.
/// </summary>
public interface IFingerprintStore
{
    /// <summary>
    /// The state of each fingerprint that has one (absent ones are left out), in one round trip.
    /// </summary>
    Task<IReadOnlyDictionary<string, FingerprintState>> LookupAsync(
        IReadOnlyList<string> fingerprints, CancellationToken cancellationToken);

    /// <summary>
    /// Records a report: sets every fingerprint to <paramref name="state"/>, counts the report,
    /// stamps first and last seen, and renews the expiry. Returns the state each had before, in
    /// order (null when unknown).
    /// </summary>
    Task<IReadOnlyList<FingerprintState?>> ReportAsync(
        IReadOnlyList<string> fingerprints, FingerprintState state, string source, CancellationToken cancellationToken);

    /// <summary>One fingerprint's full entry, or null when unknown.</summary>
    Task<FingerprintRecord?> GetAsync(string fingerprint, CancellationToken cancellationToken);
}
