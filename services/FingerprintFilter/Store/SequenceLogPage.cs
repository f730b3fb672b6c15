namespace Gateway.FingerprintFilter.Store;

/// <summary>Entries read from a sequence log after a watermark.</summary>
/// <param name="Watermark">The last sequence read through without an open gap; where the next read starts.</param>
/// <param name="More">The read stopped at its limit; more entries are ready.</param>
/// <param name="Reset">Entries right after the old watermark were trimmed away: the reader missed them.</param>
public sealed record SequenceLogPage(IReadOnlyList<SequenceLogEntry> Entries, long Watermark, bool More, bool Reset);
