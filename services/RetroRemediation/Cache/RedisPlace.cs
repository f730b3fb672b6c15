namespace Gateway.RetroRemediation.Cache;

/// <summary>A byte offset in one Redis string.</summary>
internal readonly record struct RedisPlace(string Key, long Offset);
