using System.Net;
using Gateway.Common.Redis;
using StackExchange.Redis;

namespace Gateway.SenderIntelligence.Leases;

/// <summary>
/// Leases in Redis, one sorted set per client address (<c>&lt;prefix&gt;sender:conn:&lt;ip&gt;</c>): members are
/// lease ids, scores their expiry in Unix milliseconds. Uses only commands that Redis and Garnet run alike.
/// </summary>
public sealed class RedisConnectionLeaseStore : IConnectionLeaseStore
{
    // One script, so that "drop expired, count, add if under the limit" cannot interleave with another edge's
    // attempt for the same address. The key's time to live follows the newest lease, so the set of an address
    // that stopped connecting disappears by itself. Time comes from the caller rather than redis TIME so that
    // the edges' clocks, which stamp the expiries, are the only clocks involved.
    //   KEYS[1] lease set   ARGV[1] now (ms)   ARGV[2] expiry (ms)   ARGV[3] limit   ARGV[4] lease id
    //   ARGV[5] lease time (ms)   returns {acquired 0|1, live leases}
    private const string AcquireScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        local live = redis.call('ZCARD', KEYS[1])
        if live >= tonumber(ARGV[3]) then
          return {0, live}
        end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        return {1, live + 1}
        """;

    private readonly IRedisConnection _redis;

    public RedisConnectionLeaseStore(IRedisConnection redis)
    {
        _redis = redis;
    }

    public async Task<LeaseAcquisition> TryAcquireAsync(
        IPAddress client,
        string leaseId,
        DateTimeOffset now,
        TimeSpan leaseTime,
        int limit)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var leaseMs = (long)leaseTime.TotalMilliseconds;
        var result = await _redis.Database.ScriptEvaluateAsync(
            AcquireScript,
            [KeyFor(client)],
            [nowMs, nowMs + leaseMs, limit, leaseId, leaseMs]).ConfigureAwait(false);

        var values = (RedisResult[]?)result
                     ?? throw new RedisException("The connection lease script returned no result.");
        return new LeaseAcquisition((long)values[0] == 1, (long)values[1]);
    }

    public Task ReleaseAsync(IPAddress client, string leaseId) =>
        _redis.Database.SortedSetRemoveAsync(KeyFor(client), leaseId);

    /// <summary>The lease set of a (normalised) client address.</summary>
    public RedisKey KeyFor(IPAddress client) => _redis.Key("sender", "conn", client.ToString());
}
