using Gateway.Common.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>
/// Makes a redelivered queue record harmless: one key per recipient of each queued message,
/// <c>dl:&lt;queue id&gt;:&lt;recipient&gt;</c>, claimed (<c>SET NX</c>) before the delivery and marked
/// delivered or failed after it. A record read again finds the mark and delivers nothing twice.
/// </summary>
/// <remarks>
/// Values: <c>c|&lt;owner&gt;|&lt;token&gt;</c> while claimed (expires after the claim timeout),
/// <c>d|&lt;location&gt;</c> once delivered, <c>f|</c> once failed for good (both expire after the ledger
/// retention). Every key has a TTL. A claim whose owner stopped heartbeating is taken over atomically
/// (compare-and-set), and the taker learns it must check the store first.
/// </remarks>
public sealed class DeliveryLedger
{
    private const string ClaimPrefix = "c|";
    private const string DeliveredPrefix = "d|";
    private const string FailedValue = "f|";

    // KEYS[1] the ledger key; ARGV[1] the expected value, ARGV[2] the new value, ARGV[3] its TTL in ms.
    private const string CompareAndSetScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
          return 1
        end
        return 0
        """;

    private const string CompareAndDeleteScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private readonly IRedisConnection _redis;
    private readonly DeliveryOwner _owner;
    private readonly TimeSpan _claimTimeout;
    private readonly TimeSpan _retention;

    public DeliveryLedger(
        IRedisConnection redis,
        DeliveryOwner owner,
        IOptions<KafkaDeliveryOptions> options,
        IOptions<Delivery.DeliveryOptions> deliveryOptions)
    {
        _redis = redis;
        _owner = owner;
        var o = options.Value;
        var d = deliveryOptions.Value;
        _claimTimeout = o.ClaimTimeout > TimeSpan.Zero ? o.ClaimTimeout : d.ConnectTimeout + 4 * d.CommandTimeout;
        _retention = o.LedgerRetention > TimeSpan.Zero ? o.LedgerRetention : d.MaxQueueLifetime + TimeSpan.FromDays(1);
    }

    /// <summary>Longest one attempt holds a recipient.</summary>
    public TimeSpan ClaimTimeout => _claimTimeout;

    /// <summary>True while some attempt (alive or not yet timed out) holds the recipient's claim.</summary>
    public async Task<bool> IsClaimedAsync(string queueId, string recipient)
    {
        var current = (string?)await _redis.Database.StringGetAsync(Key(queueId, recipient));
        return current is not null && current.StartsWith(ClaimPrefix, StringComparison.Ordinal);
    }

    /// <summary>Claims a recipient for this attempt, or says why not.</summary>
    public async Task<DeliveryClaim> ClaimAsync(string queueId, string recipient)
    {
        var db = _redis.Database;
        var key = Key(queueId, recipient);
        var token = Guid.NewGuid().ToString("N");
        var claim = $"{ClaimPrefix}{_owner.Id}|{token}";

        // A key that expires between our two reads is simply claimed on the next round.
        for (var round = 0; round < 3; round++)
        {
            if (await db.StringSetAsync(key, claim, _claimTimeout, When.NotExists))
            {
                _owner.Track(token);
                return new DeliveryClaim(queueId, recipient, DeliveryLedgerState.Claimed, token);
            }

            var current = (string?)await db.StringGetAsync(key);
            if (current is null)
            {
                continue;
            }

            if (current.StartsWith(DeliveredPrefix, StringComparison.Ordinal))
            {
                return new DeliveryClaim(queueId, recipient, DeliveryLedgerState.Delivered,
                    Location: current[DeliveredPrefix.Length..]);
            }

            if (current == FailedValue || !current.StartsWith(ClaimPrefix, StringComparison.Ordinal))
            {
                return new DeliveryClaim(queueId, recipient, DeliveryLedgerState.Failed);
            }

            var parts = current.Split('|');
            var holder = parts.Length == 3 ? parts[1] : "";
            var holderToken = parts.Length == 3 ? parts[2] : "";
            var alive = holder == _owner.Id
                ? _owner.IsActive(holderToken)
                : await db.KeyExistsAsync(_owner.AliveKey(holder));
            if (alive)
            {
                return new DeliveryClaim(queueId, recipient, DeliveryLedgerState.Held);
            }

            // The holder died (or an earlier try of ours gave up) mid-attempt: take the claim over, atomically,
            // so that of several edges reading the same record only one continues.
            if (await CompareAndSetAsync(key, current, claim, _claimTimeout))
            {
                _owner.Track(token);
                return new DeliveryClaim(queueId, recipient, DeliveryLedgerState.Orphaned, token);
            }
        }

        return new DeliveryClaim(queueId, recipient, DeliveryLedgerState.Held);
    }

    /// <summary>Marks the recipient delivered (whatever the claim's state: a delivery is a fact).</summary>
    public async Task MarkDeliveredAsync(DeliveryClaim claim, string location)
    {
        await _redis.Database.StringSetAsync(
            Key(claim.QueueId, claim.Recipient), DeliveredPrefix + location, _retention);
        _owner.Untrack(claim.Token);
    }

    /// <summary>Marks the recipient failed for good, unless the claim was lost meanwhile.</summary>
    public async Task<bool> MarkFailedAsync(DeliveryClaim claim)
    {
        var marked = await CompareAndSetAsync(
            Key(claim.QueueId, claim.Recipient), ClaimValue(claim), FailedValue, _retention);
        _owner.Untrack(claim.Token);
        return marked;
    }

    /// <summary>Gives the claim up after a temporary failure, so the next attempt (anywhere) can take it.</summary>
    public async Task ReleaseAsync(DeliveryClaim claim)
    {
        await _redis.Database.ScriptEvaluateAsync(
            CompareAndDeleteScript, [Key(claim.QueueId, claim.Recipient)], [ClaimValue(claim)]);
        _owner.Untrack(claim.Token);
    }

    private string ClaimValue(DeliveryClaim claim) => $"{ClaimPrefix}{_owner.Id}|{claim.Token}";

    private async Task<bool> CompareAndSetAsync(RedisKey key, string expected, string value, TimeSpan ttl)
    {
        var result = await _redis.Database.ScriptEvaluateAsync(
            CompareAndSetScript, [key], [expected, value, (long)ttl.TotalMilliseconds]);
        return (long)result == 1;
    }

    private RedisKey Key(string queueId, string recipient) => _redis.Key("dl", queueId, recipient.ToLowerInvariant());
}
