using Gateway.Common.Redis;
using Gateway.V1;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.SenderIntelligence.Host.Reputation;

/// <summary>
/// Per-client and per-sender-domain counts of what became of their mail, in Redis hashes
/// <c>rep:ip:&lt;address&gt;</c> and <c>rep:domain:&lt;domain&gt;</c> (fields accepted, delivered, bounced,
/// convicted), each expiring a window after its last update. An outcome is counted once however often it is read: the
/// "seen" mark and the increments are one atomic script.
/// </summary>
public sealed class ReputationCounters(IRedisConnection redis, IOptions<ReputationOptions> options)
{
    // KEYS[1] seen mark, KEYS[2] ip hash, KEYS[3] domain hash (may be empty); ARGV[1] field, ARGV[2] amount,
    // ARGV[3] window in ms.
    private const string CountOnceScript = """
        if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[3]) then
          redis.call('HINCRBY', KEYS[2], ARGV[1], ARGV[2])
          redis.call('PEXPIRE', KEYS[2], ARGV[3])
          if KEYS[3] ~= '' then
            redis.call('HINCRBY', KEYS[3], ARGV[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[3], ARGV[3])
          end
          return 1
        end
        return 0
        """;

    /// <summary>Counts the outcome unless it was counted before; true when it was new.</summary>
    public async Task<bool> CountAsync(ReputationOutcome outcome)
    {
        var field = outcome.Kind switch
        {
            ReputationOutcomeKind.Accepted => "accepted",
            ReputationOutcomeKind.Delivered => "delivered",
            ReputationOutcomeKind.Bounced => "bounced",
            ReputationOutcomeKind.Convicted => "convicted",
            _ => null,
        };
        if (field is null || outcome.OutcomeId.Length is 0 or > 200 || outcome.ClientIp.Length is 0 or > 64)
        {
            return false;
        }

        var domain = outcome.SenderDomain.Length is > 0 and <= 255
            ? redis.Key("rep", "domain", outcome.SenderDomain.ToLowerInvariant())
            : new RedisKey("");
        var result = await redis.Database.ScriptEvaluateAsync(CountOnceScript,
            [redis.Key("rep-seen", outcome.OutcomeId), redis.Key("rep", "ip", outcome.ClientIp), domain],
            [field, Math.Max(1, outcome.Recipients), (long)options.Value.Window.TotalMilliseconds]);
        return (long)result == 1;
    }

    /// <summary>True when the outcome was counted before (its record is being read again).</summary>
    public async Task<bool> IsCountedAsync(ReputationOutcome outcome) =>
        outcome.OutcomeId.Length is > 0 and <= 200
        && await redis.Database.KeyExistsAsync(redis.Key("rep-seen", outcome.OutcomeId));

    /// <summary>The counters of one client address (empty when it has none).</summary>
    public async Task<IReadOnlyDictionary<string, long>> ForClientAsync(string clientIp)
    {
        var entries = await redis.Database.HashGetAllAsync(redis.Key("rep", "ip", clientIp));
        return entries.ToDictionary(e => e.Name.ToString(), e => (long)e.Value);
    }
}
