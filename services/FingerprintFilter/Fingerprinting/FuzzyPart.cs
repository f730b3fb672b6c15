namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// The fuzzy digest of one text part: its components (band keys, each a "kind:hex" fingerprint of its
/// own). Two parts are near-duplicates when a large enough share of their components are equal.
/// </summary>
public sealed record FuzzyPart(string Kind, IReadOnlyList<string> Components);
