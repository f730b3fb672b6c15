namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// What the live slots of the cache hold: copies recorded and bytes written (data, not Redis overhead).
/// </summary>
public sealed record CacheStatistics(long Copies, long RecordBytes, long IndexBytes, int Slots)
{
    public long Bytes => RecordBytes + IndexBytes;
}
