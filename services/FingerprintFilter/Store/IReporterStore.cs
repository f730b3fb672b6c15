namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// Reporters' records of agreeing with trusted sources. Throws <see cref="FingerprintStoreUnavailableException"/> on
/// store faults.
/// </summary>
public interface IReporterStore
{
    Task<ReporterRecord> GetAsync(string reporter, CancellationToken cancellationToken);

    /// <summary>Adds to a reporter's agreements and disagreements and renews its expiry.</summary>
    Task RecordAsync(string reporter, long agreed, long disagreed, TimeSpan ttl, CancellationToken cancellationToken);
}
