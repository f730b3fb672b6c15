using System.Collections.Concurrent;

namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// Reporter records in this process's memory (tools and tests; see <see cref="MemoryFingerprintStore"/>).
/// </summary>
public sealed class MemoryReporterStore : IReporterStore
{
    private readonly ConcurrentDictionary<string, ReporterRecord> _records = new(StringComparer.Ordinal);

    public Task<ReporterRecord> GetAsync(string reporter, CancellationToken cancellationToken) =>
        Task.FromResult(_records.GetValueOrDefault(reporter) ?? ReporterRecord.New(reporter));

    public Task RecordAsync(
        string reporter, long agreed, long disagreed, TimeSpan ttl, CancellationToken cancellationToken)
    {
        _records.AddOrUpdate(
            reporter,
            _ => new ReporterRecord(reporter, agreed, disagreed),
            (_, old) => old with { Agreed = old.Agreed + agreed, Disagreed = old.Disagreed + disagreed });
        return Task.CompletedTask;
    }
}
