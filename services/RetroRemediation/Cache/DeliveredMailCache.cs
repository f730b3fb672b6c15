using System.Security.Cryptography;
using System.Text;
using Gateway.Common.Redis;
using Gateway.RetroRemediation.Configuration;
using Gateway.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// Remembers delivered copies in Redis for the remediation window.
/// <list type="bullet">
/// <item><c>dc:&lt;copy id&gt;</c>: the copy as a protobuf <see cref="DeliveredCopy"/>, expiring when the
/// window after its delivery ends. Stored once, however many fingerprints it has.</item>
/// <item><c>dfp:&lt;fingerprint&gt;</c>: a set of copy ids, its expiry pushed to a full window on each
/// add, so it outlives every copy it names. One read per fingerprint finds all copies; ids whose
/// copy has expired are dropped when they are read.</item>
/// </list>
/// Only single-key commands plus WATCH/MULTI (through the lock helpers) are used, so the embedded
/// Redis-protocol server serves it as well as Redis.
/// </summary>
public sealed class DeliveredMailCache
{
    /// <summary>Copies fetched per MGET, to keep replies bounded.</summary>
    private const int ReadChunk = 256;

    private readonly IRedisConnection _redis;
    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeliveredMailCache> _logger;

    public DeliveredMailCache(
        IRedisConnection redis,
        IOptions<RetroRemediationOptions> options,
        TimeProvider time,
        ILogger<DeliveredMailCache> logger)
    {
        _redis = redis;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// The id of a copy: the same delivery recorded twice (a retried record call) maps to one id,
    /// while two recipients of one message, even in the same mailbox, get two.
    /// </summary>
    public static string CopyId(DeliveryRecord record)
    {
        var text = string.Join('\n', record.QueueId, record.Recipient.ToLowerInvariant(), record.Location);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }

    /// <summary>
    /// Stores a new copy in state DELIVERED and indexes it under each fingerprint. An existing copy
    /// keeps its state (a repeated record must not undo a move). Returns null when the window after
    /// <see cref="DeliveryRecord.DeliveredAt"/> has already passed.
    /// </summary>
    public async Task<CachedCopy?> AddAsync(DeliveryRecord record, IReadOnlyCollection<string> fingerprints)
    {
        var window = _options.Value.Window;
        var now = _time.GetUtcNow();
        var deliveredAt = record.DeliveredAt?.ToDateTimeOffset() ?? now;

        // Count the window from delivery; a clock ahead of ours must not stretch it.
        var ttl = window - (now - deliveredAt);
        if (ttl > window)
        {
            ttl = window;
        }

        if (ttl <= TimeSpan.Zero)
        {
            return null;
        }

        var copy = new DeliveredCopy
        {
            Record = record,
            State = CopyState.Delivered,
            LastAction = "recorded",
            LastActionAt = Timestamp.FromDateTimeOffset(now),
        };
        var id = CopyId(record);
        var db = _redis.Database;
        await db.StringSetAsync(_redis.Key("dc", id), copy.ToByteArray(), ttl, When.NotExists);

        // Index even when the copy already existed: a retry after a partial failure completes the index.
        var indexWrites = new List<Task>(fingerprints.Count * 2);
        foreach (var fingerprint in fingerprints)
        {
            var key = _redis.Key("dfp", fingerprint);
            indexWrites.Add(db.SetAddAsync(key, id));
            indexWrites.Add(db.KeyExpireAsync(key, window));
        }

        await Task.WhenAll(indexWrites);
        return new CachedCopy(id, copy);
    }

    /// <summary>The copy stored under <paramref name="id"/>, or null when it expired (or never was).</summary>
    public async Task<CachedCopy?> GetAsync(string id)
    {
        var value = await _redis.Database.StringGetAsync(_redis.Key("dc", id));
        return Decode(id, value);
    }

    /// <summary>
    /// Every live copy carrying any of the fingerprints, oldest delivery first, at most
    /// <paramref name="limit"/>. Index entries of expired copies are removed on the way.
    /// </summary>
    public async Task<CopyLookup> FindAsync(IReadOnlyCollection<string> fingerprints, int limit)
    {
        var db = _redis.Database;
        var fingerprintList = fingerprints.ToList();
        var members = await Task.WhenAll(fingerprintList.Select(f => db.SetMembersAsync(_redis.Key("dfp", f))));

        // Which fingerprints name each id, so stale entries can be removed from exactly those sets.
        var indexedBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < fingerprintList.Count; i++)
        {
            foreach (var member in members[i])
            {
                var id = member.ToString();
                if (!indexedBy.TryGetValue(id, out var list))
                {
                    indexedBy[id] = list = [];
                }

                list.Add(fingerprintList[i]);
            }
        }

        var ids = indexedBy.Keys.ToList();
        var copies = new List<CachedCopy>(ids.Count);
        var stale = new List<string>();
        foreach (var chunk in ids.Chunk(ReadChunk))
        {
            var values = await db.StringGetAsync(chunk.Select(id => _redis.Key("dc", id)).ToArray());
            for (var i = 0; i < chunk.Length; i++)
            {
                if (Decode(chunk[i], values[i]) is { } copy)
                {
                    copies.Add(copy);
                }
                else
                {
                    stale.Add(chunk[i]);
                }
            }
        }

        if (stale.Count > 0)
        {
            var removals = stale.SelectMany(id => indexedBy[id].Select(f => (Id: id, Fingerprint: f)))
                .GroupBy(e => e.Fingerprint)
                .Select(g => db.SetRemoveAsync(_redis.Key("dfp", g.Key), g.Select(e => (RedisValue)e.Id).ToArray()));
            await Task.WhenAll(removals);
            DeliveredMailCacheLog.StaleIndexEntriesRemoved(_logger, stale.Count);
        }

        var ordered = copies
            .OrderBy(c => c.Copy.Record.DeliveredAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return new CopyLookup(ordered, copies.Count);
    }

    /// <summary>
    /// Rewrites a copy's state, keeping its remaining time to live (SET ... XX KEEPTTL). False when the
    /// copy expired meanwhile: it is not brought back.
    /// </summary>
    public Task<bool> UpdateAsync(CachedCopy copy) =>
        _redis.Database.StringSetAsync(
            _redis.Key("dc", copy.Id), copy.Copy.ToByteArray(), expiry: null, keepTtl: true, when: When.Exists);

    /// <summary>
    /// Takes the short lease that makes one worker at a time act on a copy, across processes.
    /// Returns the lease token, or null when another worker holds it.
    /// </summary>
    public async Task<string?> TryLeaseAsync(string id, TimeSpan duration)
    {
        var token = Guid.NewGuid().ToString("N");
        return await _redis.Database.LockTakeAsync(_redis.Key("dcl", id), token, duration) ? token : null;
    }

    /// <summary>Gives the lease back if it is still ours.</summary>
    public Task ReleaseLeaseAsync(string id, string token) =>
        _redis.Database.LockReleaseAsync(_redis.Key("dcl", id), token);

    private CachedCopy? Decode(string id, RedisValue value)
    {
        if (value.IsNull)
        {
            return null;
        }

        try
        {
            var copy = DeliveredCopy.Parser.ParseFrom((byte[])value!);
            return copy.Record is null ? null : new CachedCopy(id, copy);
        }
        catch (InvalidProtocolBufferException ex)
        {
            DeliveredMailCacheLog.CorruptCopy(_logger, id, ex);
            return null;
        }
    }
}
