namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// The live copies found for a set of fingerprints, oldest delivery first, at most the requested
/// limit; <see cref="TotalFound"/> also counts the ones left out by the limit.
/// </summary>
public sealed record CopyLookup(IReadOnlyList<CachedCopy> Copies, int TotalFound);
