namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// Everything the store knows about one fingerprint: the raw facts, from which
/// <see cref="Learning.FingerprintAssessor"/> derives its standing and confidence.
/// </summary>
/// <param name="Trusted">The latest decision of a trusted source (admin, trap), which overrides weights.</param>
/// <param name="SpamWeight">Sum of the weights of untrusted spam reports (each reporter once).</param>
/// <param name="HamWeight">Sum of the weights of untrusted ham reports (each reporter once).</param>
/// <param name="ReportsBySource">Reports per source class ("admin", "trap", "abuse", "user", "peer:x" …).</param>
/// <param name="LastSource">Who made the latest report.</param>
/// <param name="Sequence">Change-log position of the latest change (orders versions of the entry).</param>
public sealed record FingerprintEntry(
    string Fingerprint,
    FingerprintState? Trusted,
    double SpamWeight,
    double HamWeight,
    IReadOnlyDictionary<string, long> ReportsBySource,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    DateTimeOffset ExpiresAt,
    string LastSource,
    long Sequence)
{
    /// <summary>Reports of any kind from any source.</summary>
    public long Reports => ReportsBySource.Values.Sum();

    /// <summary>Whether any report came from this site (not only imported from peers).</summary>
    public bool HasLocalReports => ReportsBySource.Keys.Any(k => !k.StartsWith("peer:", StringComparison.Ordinal));
}
