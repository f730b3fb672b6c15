namespace Gateway.FingerprintFilter.Store;

/// <summary>What a report changed.</summary>
/// <param name="Before">Entries before the report (absent when unknown).</param>
/// <param name="After">Entries after the report.</param>
/// <param name="EarlierReporters">
/// For a trusted report: the untrusted reporters who had reported any of the content fingerprints,
/// with their verdict, so their records can be credited; they are forgotten once returned.
/// </param>
/// <param name="Duplicate">For an untrusted report: every fingerprint already had this reporter's report.</param>
public sealed record StoreReportOutcome(
    IReadOnlyDictionary<string, FingerprintEntry> Before,
    IReadOnlyDictionary<string, FingerprintEntry> After,
    IReadOnlyList<ReporterVerdict> EarlierReporters,
    bool Duplicate);
