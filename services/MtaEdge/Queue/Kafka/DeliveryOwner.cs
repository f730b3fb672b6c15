using System.Collections.Concurrent;
using Gateway.Common.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>
/// This process as a holder of delivery claims: an id that is new at every start, a heartbeat key in Redis
/// (<c>dl-owner:&lt;id&gt;</c>, expiring after <see cref="KafkaDeliveryOptions.OwnerTimeout"/>) that tells other
/// edges it is alive, and the claims it is working on right now.
/// </summary>
public sealed class DeliveryOwner : BackgroundService
{
    private readonly IRedisConnection _redis;
    private readonly KafkaDeliveryOptions _options;
    private readonly ILogger<DeliveryOwner> _logger;
    private readonly ConcurrentDictionary<string, byte> _active = new(StringComparer.Ordinal);

    public DeliveryOwner(IRedisConnection redis, IOptions<KafkaDeliveryOptions> options, ILogger<DeliveryOwner> logger)
    {
        _redis = redis;
        _options = options.Value;
        _logger = logger;
    }

    public string Id { get; } = Guid.NewGuid().ToString("N");

    public RedisKey AliveKey(string ownerId) => _redis.Key("dl-owner", ownerId);

    /// <summary>Says "alive" now; called before the first claim so a fresh owner never looks dead.</summary>
    public Task BeatAsync() =>
        _redis.Database.StringSetAsync(AliveKey(Id), "1", _options.OwnerTimeout);

    /// <summary>Marks a claim token as being worked on in this process.</summary>
    public void Track(string token) => _active[token] = 0;

    public void Untrack(string token) => _active.TryRemove(token, out _);

    /// <summary>True when this process is working on the claim now (false for one left by an earlier try).</summary>
    public bool IsActive(string token) => _active.ContainsKey(token);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.OwnerHeartbeat);
        do
        {
            try
            {
                await BeatAsync();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Others may take this edge for dead and look for its deliveries in the store: safe, only slower.
                KafkaQueueLog.HeartbeatFailed(_logger, Id, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // A clean stop finishes or releases its claims first (the consumer stops before us), so nothing
            // of ours is left to look alive for.
            await _redis.Database.KeyDeleteAsync(AliveKey(Id));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            KafkaQueueLog.HeartbeatFailed(_logger, Id, ex);
        }
    }
}
