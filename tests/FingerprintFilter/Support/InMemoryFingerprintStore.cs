using Gateway.FingerprintFilter.Store;

namespace Gateway.FingerprintFilter.Tests.Support;

/// <summary>A store double for service tests without Redis; <see cref="Unavailable"/> simulates an outage.</summary>
public sealed class InMemoryFingerprintStore : IFingerprintStore
{
    private readonly Dictionary<string, FingerprintRecord> _records = new(StringComparer.Ordinal);

    public bool Unavailable { get; set; }

    public int Lookups { get; private set; }

    public Task<IReadOnlyDictionary<string, FingerprintState>> LookupAsync(
        IReadOnlyList<string> fingerprints, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        Lookups++;
        IReadOnlyDictionary<string, FingerprintState> found = fingerprints
            .Where(_records.ContainsKey)
            .Distinct()
            .ToDictionary(fp => fp, fp => _records[fp].State);
        return Task.FromResult(found);
    }

    public Task<IReadOnlyList<FingerprintState?>> ReportAsync(
        IReadOnlyList<string> fingerprints, FingerprintState state, string source, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        var now = DateTimeOffset.UtcNow;
        var before = new List<FingerprintState?>();
        foreach (var fp in fingerprints)
        {
            _records.TryGetValue(fp, out var old);
            before.Add(old?.State);
            var reports = (old?.Reports ?? 0) + 1;
            _records[fp] = new FingerprintRecord(fp, state, reports, old?.FirstSeen ?? now, now, source);
        }

        return Task.FromResult<IReadOnlyList<FingerprintState?>>(before);
    }

    public Task<FingerprintRecord?> GetAsync(string fingerprint, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        return Task.FromResult(_records.GetValueOrDefault(fingerprint));
    }

    private void ThrowIfUnavailable()
    {
        if (Unavailable)
        {
            throw new FingerprintStoreUnavailableException("simulated outage", new TimeoutException());
        }
    }
}
