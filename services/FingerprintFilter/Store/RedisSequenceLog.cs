using System.Buffers.Binary;
using Gateway.Common.Redis;
using StackExchange.Redis;

namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// An append-only log in Redis that several writers append to and any number of readers follow by
/// watermark: a sorted set <c>{name}</c> scored by sequence, whose members are the sequence (8 bytes),
/// the append time (8 bytes, Unix ms) and the payload; sequences come from the counter <c>{name}:seq</c>.
/// Only plain commands (INCRBY, ZADD, ZRANGEBYSCORE, ZREMRANGEBYRANK): no Lua, so Redis and Garnet
/// behave alike.
/// </summary>
/// <remarks>
/// Taking a sequence (INCRBY) and writing the entry (ZADD) are two steps, so a reader can see entry
/// n+1 before entry n lands. A reader therefore stops before a gap, and skips it only once the entry
/// after it is older than the grace period: by then the writer of the missing entry has failed, and
/// there is nothing to wait for. Readers never miss an entry that is written within the grace period.
/// </remarks>
public sealed class RedisSequenceLog
{
    private const int HeaderBytes = 16;

    private readonly IRedisConnection _redis;
    private readonly RedisKey _log;
    private readonly RedisKey _counter;

    public RedisSequenceLog(IRedisConnection redis, string name)
    {
        _redis = redis;
        _log = redis.Key(name);
        _counter = redis.Key(name, "seq");
    }

    /// <summary>
    /// Takes <paramref name="count"/> sequence numbers; returns the last (the first is last - count + 1).
    /// </summary>
    public Task<long> ReserveAsync(IDatabaseAsync database, int count) =>
        database.StringIncrementAsync(_counter, count);

    /// <summary>The last sequence taken (0 when none).</summary>
    public async Task<long> CurrentAsync()
    {
        var value = await _redis.Database.StringGetAsync(_counter);
        return value.TryParse(out long current) ? current : 0;
    }

    /// <summary>
    /// Queues the entry on <paramref name="database"/> (a batch, usually after the data it announces).
    /// </summary>
    public Task AppendAsync(IDatabaseAsync database, long sequence, DateTimeOffset at, ReadOnlySpan<byte> payload)
    {
        var member = new byte[HeaderBytes + payload.Length];
        BinaryPrimitives.WriteInt64BigEndian(member, sequence);
        BinaryPrimitives.WriteInt64BigEndian(member.AsSpan(8), at.ToUnixTimeMilliseconds());
        payload.CopyTo(member.AsSpan(HeaderBytes));
        return database.SortedSetAddAsync(_log, member, sequence);
    }

    /// <summary>Queues trimming to the newest <paramref name="maxEntries"/> entries.</summary>
    public Task TrimAsync(IDatabaseAsync database, int maxEntries) =>
        database.SortedSetRemoveRangeByRankAsync(_log, 0, -(maxEntries + 1L));

    /// <summary>
    /// Entries after <paramref name="watermark"/>, in order, up to the first gap that is still in grace.
    /// </summary>
    public async Task<SequenceLogPage> ReadAsync(long watermark, int maxEntries, TimeSpan grace, DateTimeOffset now)
    {
        var database = _redis.Database;
        var values = await database.SortedSetRangeByScoreAsync(
            _log, watermark, double.PositiveInfinity, Exclude.Start, Order.Ascending, 0, maxEntries);
        var entries = new List<SequenceLogEntry>(values.Length);
        foreach (var value in values)
        {
            if (Parse(value) is { } entry)
            {
                entries.Add(entry);
            }
        }

        var reset = false;
        if (watermark > 0 && entries.Count > 0 && entries[0].Sequence > watermark + 1)
        {
            // A gap right after the watermark: in flight, failed, or trimmed. Trimmed if the log's
            // oldest entry is past it (nothing at or before the watermark is left).
            var oldest = await database.SortedSetRangeByRankWithScoresAsync(_log, 0, 0);
            reset = oldest.Length == 1 && oldest[0].Score > watermark + 1;
        }

        return Follow(entries, watermark, values.Length >= maxEntries, reset, grace, now);
    }

    /// <summary>
    /// Walks entries from the watermark, stopping before a gap whose successor is younger than the grace.
    /// </summary>
    public static SequenceLogPage Follow(
        IReadOnlyList<SequenceLogEntry> entries, long watermark, bool full, bool reset, TimeSpan grace,
        DateTimeOffset now)
    {
        var taken = new List<SequenceLogEntry>(entries.Count);
        var position = watermark;
        foreach (var entry in entries)
        {
            if (entry.Sequence <= position)
            {
                continue;
            }

            var gap = entry.Sequence > position + 1;
            if (gap && !reset && now - entry.AppendedAt < grace)
            {
                return new SequenceLogPage(taken, position, false, false);
            }

            taken.Add(entry);
            position = entry.Sequence;
        }

        return new SequenceLogPage(taken, position, full, reset);
    }

    private static SequenceLogEntry? Parse(RedisValue value)
    {
        byte[]? bytes = value;
        if (bytes is null || bytes.Length < HeaderBytes)
        {
            return null;
        }

        var sequence = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)));
        return new SequenceLogEntry(sequence, at, bytes.AsMemory(HeaderBytes));
    }
}
