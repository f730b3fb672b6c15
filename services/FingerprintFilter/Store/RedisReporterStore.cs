using Gateway.Common.Redis;
using StackExchange.Redis;

namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// Reporter records in Redis: a hash <c>fprep:{reporter}</c> with <c>agreed</c> and <c>disagreed</c>
/// counts, expiring a while after the reporter's last activity.
/// </summary>
public sealed class RedisReporterStore(IRedisConnection redis) : IReporterStore
{
    private const string AgreedField = "agreed";
    private const string DisagreedField = "disagreed";

    public async Task<ReporterRecord> GetAsync(string reporter, CancellationToken cancellationToken)
    {
        try
        {
            var values = await redis.Database.HashGetAsync(Key(reporter), [AgreedField, DisagreedField])
                .WaitAsync(cancellationToken);
            values[0].TryParse(out long agreed);
            values[1].TryParse(out long disagreed);
            return new ReporterRecord(reporter, agreed, disagreed);
        }
        catch (Exception ex) when (RedisFingerprintStore.IsStoreFault(ex))
        {
            throw RedisFingerprintStore.Unavailable(ex);
        }
    }

    public async Task RecordAsync(
        string reporter, long agreed, long disagreed, TimeSpan ttl, CancellationToken cancellationToken)
    {
        try
        {
            var batch = redis.Database.CreateBatch();
            var key = Key(reporter);
            var writes = new List<Task>();
            if (agreed != 0)
            {
                writes.Add(batch.HashIncrementAsync(key, AgreedField, agreed));
            }

            if (disagreed != 0)
            {
                writes.Add(batch.HashIncrementAsync(key, DisagreedField, disagreed));
            }

            writes.Add(batch.KeyExpireAsync(key, ttl));
            batch.Execute();
            await Task.WhenAll(writes).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (RedisFingerprintStore.IsStoreFault(ex))
        {
            throw RedisFingerprintStore.Unavailable(ex);
        }
    }

    private RedisKey Key(string reporter) => redis.Key("fprep", reporter);
}
