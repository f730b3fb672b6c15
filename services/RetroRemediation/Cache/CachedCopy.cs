using Gateway.V1;

namespace Gateway.RetroRemediation.Cache;

/// <summary>A remembered copy and the id it is stored under.</summary>
public sealed record CachedCopy(string Id, DeliveredCopy Copy);
