using Gateway.Common.Redis;
using Gateway.FingerprintFilter.Store;
using StackExchange.Redis;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>
/// Peer watermarks in Redis, one key per peer (<c>fppeer:{site}</c>), raised by a read then a write.
/// Two nodes racing can leave the lower of two values; that only means some events are imported again,
/// which changes nothing (a peer's report counts once per fingerprint).
/// </summary>
public sealed class RedisPeerWatermarkStore(IRedisConnection redis) : IPeerWatermarkStore
{
    public async Task<long> GetAsync(string siteId, CancellationToken cancellationToken)
    {
        try
        {
            var value = await redis.Database.StringGetAsync(Key(siteId)).WaitAsync(cancellationToken);
            return value.TryParse(out long watermark) ? watermark : 0;
        }
        catch (Exception ex) when (RedisFingerprintStore.IsStoreFault(ex))
        {
            throw RedisFingerprintStore.Unavailable(ex);
        }
    }

    public async Task AdvanceAsync(string siteId, long watermark, CancellationToken cancellationToken)
    {
        if (watermark > await GetAsync(siteId, cancellationToken))
        {
            try
            {
                await redis.Database.StringSetAsync(Key(siteId), watermark).WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (RedisFingerprintStore.IsStoreFault(ex))
            {
                throw RedisFingerprintStore.Unavailable(ex);
            }
        }
    }

    private RedisKey Key(string siteId) => redis.Key("fppeer", siteId.ToLowerInvariant());
}
