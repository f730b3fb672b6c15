namespace Gateway.FingerprintFilter.Sharing;

/// <summary>
/// How far this site has imported each peer's feed (shared by all nodes, so only one needs to import).
/// </summary>
public interface IPeerWatermarkStore
{
    Task<long> GetAsync(string siteId, CancellationToken cancellationToken);

    /// <summary>Raises the watermark (never lowers it: two nodes importing the same batch agree).</summary>
    Task AdvanceAsync(string siteId, long watermark, CancellationToken cancellationToken);
}
