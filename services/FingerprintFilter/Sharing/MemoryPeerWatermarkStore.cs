using System.Collections.Concurrent;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>Peer watermarks in this process's memory (tools and tests).</summary>
public sealed class MemoryPeerWatermarkStore : IPeerWatermarkStore
{
    private readonly ConcurrentDictionary<string, long> _watermarks = new(StringComparer.OrdinalIgnoreCase);

    public Task<long> GetAsync(string siteId, CancellationToken cancellationToken) =>
        Task.FromResult(_watermarks.GetValueOrDefault(siteId));

    public Task AdvanceAsync(string siteId, long watermark, CancellationToken cancellationToken)
    {
        _watermarks.AddOrUpdate(siteId, watermark, (_, old) => Math.Max(old, watermark));
        return Task.CompletedTask;
    }
}
