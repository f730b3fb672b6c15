namespace Gateway.FingerprintFilter.Store;

/// <summary>One fingerprint's entry in the store.</summary>
/// <param name="Reports">How many reports (spam or ham) named it since it was first seen.</param>
/// <param name="Source">Who made the latest report.</param>
public sealed record FingerprintRecord(
    string Fingerprint,
    FingerprintState State,
    long Reports,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    string Source);
