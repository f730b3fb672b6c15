namespace Gateway.FingerprintFilter.Store;

/// <summary>Entries changed after a watermark, read from the change log.</summary>
/// <param name="Entries">Current entries of the fingerprints changed (an expired one is absent).</param>
/// <param name="Removed">Fingerprints changed but no longer in the store (expired).</param>
/// <param name="Watermark">Where the next read starts.</param>
/// <param name="More">More changes are ready; read again at once.</param>
/// <param name="Reset">The log no longer holds everything after the watermark: reload everything.</param>
public sealed record ChangePage(
    IReadOnlyList<FingerprintEntry> Entries,
    IReadOnlyList<string> Removed,
    long Watermark,
    bool More,
    bool Reset);
