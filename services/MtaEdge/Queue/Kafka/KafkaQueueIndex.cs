using System.Globalization;
using Confluent.Kafka;
using Gateway.Common.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>
/// The cluster queue as a list of messages, which Kafka topics cannot give: in Redis beside the delivery
/// ledger, one hash per queued message (<c>qi:&lt;queue id&gt;</c>: envelope, attempts, next attempt, last error,
/// the newest record's topic/partition/offset, per-recipient state) and a sorted set of queue ids by received
/// time (<c>qi-all</c>). A message leaves when all its recipients are final, leaving a short marker
/// (<c>qi-done:&lt;queue id&gt;</c>) so a late write cannot bring it back. Every key has a TTL (the ledger's
/// retention: queue lifetime plus a day).
/// </summary>
/// <remarks>
/// Advisory: Kafka and the ledger decide what is delivered. Writes never throw (a failure is logged and
/// counted) and are idempotent, since handlers run again after crashes: attempt counts only move forward and
/// final recipient states are never overwritten. Only the delete marker (<c>deleted:&lt;queue id&gt;</c>) and
/// the generation a retry raises change what delivery does, and only ever towards "do nothing".
/// </remarks>
public sealed class KafkaQueueIndex
{
    /// <summary>The Kafka header carrying a record's generation (absent: 0). A "retry now" writes a record of
    /// the next generation and raises the index's; records of older generations then do nothing.</summary>
    public const string GenerationHeader = "gw-queue-generation";

    /// <summary>Longest an advisory write may hold up the caller (a 250, a delivery attempt).</summary>
    private static readonly TimeSpan WriteWait = TimeSpan.FromSeconds(2);

    private const int ReadBatch = 256;
    private const string RecipientPrefix = "r:";

    // KEYS: hash, sorted set, done marker. ARGV: ttl ms, received ms, queue id, attempts, next ms, last error,
    // location, accept ("1": recipients only where absent), count of envelope pairs, envelope pairs, recipient
    // pairs.
    private const string UpsertScript = """
        if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
        local i = 10
        for _ = 1, tonumber(ARGV[9]) do
          redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
          i = i + 2
        end
        local att = tonumber(redis.call('HGET', KEYS[1], 'att') or '-1')
        if tonumber(ARGV[4]) >= att then
          redis.call('HSET', KEYS[1], 'att', ARGV[4], 'next', ARGV[5], 'err', ARGV[6], 'loc', ARGV[7])
        end
        while i <= #ARGV do
          local cur = redis.call('HGET', KEYS[1], ARGV[i])
          if not cur or (ARGV[8] ~= '1' and string.sub(cur, 1, 1) == 'p') then
            redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
          end
          i = i + 2
        end
        if ARGV[8] ~= '1' then redis.call('HDEL', KEYS[1], 'busy') end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[1])
        return 1
        """;

    // KEYS: hash. ARGV: field, value. Sets a field of an indexed message only; never creates one.
    private const string SetIfIndexedScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1 end
        return 0
        """;

    // KEYS: hash. ARGV: generation, next ms. The generation only rises.
    private const string RaiseGenerationScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        if tonumber(ARGV[1]) > tonumber(redis.call('HGET', KEYS[1], 'gen') or '0') then
          redis.call('HSET', KEYS[1], 'gen', ARGV[1], 'next', ARGV[2])
        end
        return 1
        """;

    // KEYS: hash, sorted set, done marker. ARGV: queue id, ttl ms.
    private const string RemoveScript = """
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('SET', KEYS[3], '1', 'PX', ARGV[2])
        return 1
        """;

    private readonly IRedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<KafkaQueueIndex> _logger;

    public KafkaQueueIndex(
        IRedisConnection redis,
        IOptions<KafkaDeliveryOptions> options,
        IOptions<Delivery.DeliveryOptions> deliveryOptions,
        TimeProvider time,
        ILogger<KafkaQueueIndex> logger)
    {
        _redis = redis;
        _time = time;
        _logger = logger;
        var o = options.Value;
        Retention = o.LedgerRetention > TimeSpan.Zero
            ? o.LedgerRetention
            : deliveryOptions.Value.MaxQueueLifetime + TimeSpan.FromDays(1);
    }

    /// <summary>The TTL of every index key (the ledger's retention).</summary>
    public TimeSpan Retention { get; }

    /// <summary>Records a message the broker has just acknowledged. Advisory: never throws.</summary>
    public Task RecordAcceptedAsync(QueuedMessage message, TopicPartitionOffset location) =>
        AdvisoryAsync("accept", message.QueueId, () => UpsertAsync(message, location, accept: true,
            message.Recipients.Select(r => new QueueIndexRecipient(r.Address, RecipientStatus.Pending, ""))));

    /// <summary>Marks a message as in delivery until the claim timeout (or the attempt's own update).</summary>
    public Task MarkActiveAsync(string queueId, TimeSpan claimTimeout) =>
        AdvisoryAsync("active", queueId, () => _redis.Database.ScriptEvaluateAsync(SetIfIndexedScript,
            [HashKey(queueId)], ["busy", Millis(_time.GetUtcNow() + claimTimeout)]));

    /// <summary>
    /// Records an attempt's outcome: attempts, next attempt, last error, the newest record and each recipient's
    /// state. Creates the entry when it is missing (an acceptance write that failed). Advisory: never throws.
    /// </summary>
    public Task RecordAttemptAsync(QueuedMessage message, TopicPartitionOffset? location,
        IEnumerable<QueueIndexRecipient> recipients) =>
        AdvisoryAsync("attempt", message.QueueId, () => UpsertAsync(message, location, accept: false, recipients));

    /// <summary>Takes a finished (or deleted) message out of the index. Advisory: never throws.</summary>
    public Task RemoveAsync(string queueId) =>
        AdvisoryAsync("remove", queueId, () => _redis.Database.ScriptEvaluateAsync(RemoveScript,
            [HashKey(queueId), SetKey, DoneKey(queueId)], [queueId, (long)Retention.TotalMilliseconds]));

    /// <summary>Raises the message's generation after a retry record of that generation was written.</summary>
    public Task RaiseGenerationAsync(string queueId, long generation) =>
        AdvisoryAsync("retry", queueId, () => _redis.Database.ScriptEvaluateAsync(RaiseGenerationScript,
            [HashKey(queueId)], [generation, Millis(_time.GetUtcNow())]));

    /// <summary>Marks the message deleted: delivery drops whatever of it is still to come. Throws on
    /// failure (the operator must know the delete did not happen).</summary>
    public Task MarkDeletedAsync(string queueId) =>
        _redis.Database.StringSetAsync(DeletedKey(queueId), "1", Retention);

    /// <summary>
    /// What delivery must know before claiming: whether the message was deleted, and its current generation
    /// (0 when not indexed). Throws when Redis cannot be asked; the ledger needs it as much.
    /// </summary>
    public async Task<(bool Deleted, long Generation)> CheckAsync(string queueId)
    {
        var db = _redis.Database;
        var deleted = db.KeyExistsAsync(DeletedKey(queueId));
        var generation = db.HashGetAsync(HashKey(queueId), "gen");
        await Task.WhenAll(deleted, generation);
        return (await deleted, ParseLong(await generation));
    }

    public async Task<QueueIndexEntry?> FindAsync(string queueId)
    {
        var fields = await _redis.Database.HashGetAllAsync(HashKey(queueId));
        return fields.Length == 0 ? null : Parse(queueId, fields);
    }

    /// <summary>Indexed messages, oldest first, at most <paramref name="max"/>. Ids whose entry expired are
    /// dropped from the sorted set on the way.</summary>
    public async Task<IReadOnlyList<QueueIndexEntry>> ReadAllAsync(int max)
    {
        var db = _redis.Database;
        var ids = await db.SortedSetRangeByRankAsync(SetKey, 0, max - 1);
        var entries = new List<QueueIndexEntry>(ids.Length);
        var stale = new List<RedisValue>();
        foreach (var chunk in ids.Chunk(ReadBatch))
        {
            var reads = chunk.Select(id => db.HashGetAllAsync(HashKey(id!))).ToArray();
            await Task.WhenAll(reads);
            for (var i = 0; i < chunk.Length; i++)
            {
                var fields = await reads[i];
                if (fields.Length == 0)
                {
                    stale.Add(chunk[i]);
                }
                else
                {
                    entries.Add(Parse(chunk[i]!, fields));
                }
            }
        }

        if (stale.Count > 0)
        {
            await db.SortedSetRemoveAsync(SetKey, stale.ToArray());
        }

        return entries;
    }

    private Task UpsertAsync(QueuedMessage message, TopicPartitionOffset? location, bool accept,
        IEnumerable<QueueIndexRecipient> recipients)
    {
        var received = message.ReceivedAt == default ? _time.GetUtcNow() : message.ReceivedAt;
        var envelope = new (string Field, RedisValue Value)[]
        {
            ("from", message.MailFrom),
            ("received", Millis(received)),
            ("size", message.Size),
            ("client", message.ClientAddress),
            ("helo", message.ClientHelo),
            ("msgid", message.MessageId),
            ("utf8", message.SmtpUtf8 ? 1 : 0),
        };
        // The reason the message still waits: the last reply of a recipient still to deliver.
        var states = recipients.ToList();
        var lastError = states.FirstOrDefault(r => r.Status == RecipientStatus.Pending && r.LastResult.Length > 0)
            ?.LastResult;
        var args = new List<RedisValue>
        {
            (long)Retention.TotalMilliseconds,
            Millis(received),
            message.QueueId,
            message.Attempts,
            Millis(message.NextAttemptAt == default ? received : message.NextAttemptAt),
            lastError ?? "",
            location is null ? "" : $"{location.Topic}|{location.Partition.Value}|{location.Offset.Value}",
            accept ? "1" : "0",
            envelope.Length,
        };
        foreach (var (field, value) in envelope)
        {
            args.Add(field);
            args.Add(value);
        }

        foreach (var recipient in states)
        {
            args.Add(RecipientPrefix + recipient.Address);
            args.Add(StateCode(recipient.Status) + "|" + recipient.LastResult);
        }

        return _redis.Database.ScriptEvaluateAsync(UpsertScript,
            [HashKey(message.QueueId), SetKey, DoneKey(message.QueueId)], args.ToArray());
    }

    private async Task AdvisoryAsync(string operation, string queueId, Func<Task> write)
    {
        try
        {
            await write().WaitAsync(WriteWait);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            KafkaQueueMetrics.IndexFailures.WithLabels(operation).Inc();
            KafkaQueueLog.IndexWriteFailed(_logger, queueId, operation, ex);
        }
    }

    private static QueueIndexEntry Parse(string queueId, HashEntry[] fields)
    {
        var map = fields.ToDictionary(f => (string)f.Name!, f => f.Value, StringComparer.Ordinal);
        string Text(string name) => map.TryGetValue(name, out var v) ? (string?)v ?? "" : "";
        long Number(string name) => map.TryGetValue(name, out var v) ? ParseLong(v) : 0;

        return new QueueIndexEntry
        {
            QueueId = queueId,
            MailFrom = Text("from"),
            ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(Number("received")),
            Size = Number("size"),
            ClientAddress = Text("client"),
            ClientHelo = Text("helo"),
            MessageId = Text("msgid"),
            SmtpUtf8 = Number("utf8") == 1,
            Attempts = (int)Math.Clamp(Number("att"), 0, int.MaxValue),
            NextAttemptAt = DateTimeOffset.FromUnixTimeMilliseconds(Number("next")),
            LastError = Text("err"),
            Location = ParseLocation(Text("loc")),
            Generation = Number("gen"),
            BusyUntil = DateTimeOffset.FromUnixTimeMilliseconds(Number("busy")),
            Recipients = fields
                .Where(f => ((string)f.Name!).StartsWith(RecipientPrefix, StringComparison.Ordinal))
                .Select(f => ParseRecipient(((string)f.Name!)[RecipientPrefix.Length..], (string?)f.Value ?? ""))
                .OrderBy(r => r.Address, StringComparer.Ordinal)
                .ToList(),
        };
    }

    private static QueueIndexRecipient ParseRecipient(string address, string value)
    {
        var status = value.Length > 0 ? value[0] switch
        {
            'd' => RecipientStatus.Delivered,
            'f' => RecipientStatus.Failed,
            _ => RecipientStatus.Pending,
        } : RecipientStatus.Pending;
        return new QueueIndexRecipient(address, status, value.Length > 2 ? value[2..] : "");
    }

    private static TopicPartitionOffset? ParseLocation(string text)
    {
        var parts = text.Split('|');
        return parts.Length == 3
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? new TopicPartitionOffset(parts[0], partition, offset)
            : null;
    }

    private static long ParseLong(RedisValue value) =>
        long.TryParse((string?)value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string StateCode(RecipientStatus status) => status switch
    {
        RecipientStatus.Delivered => "d",
        RecipientStatus.Failed => "f",
        _ => "p",
    };

    private static long Millis(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private RedisKey SetKey => _redis.Key("qi-all");

    private RedisKey HashKey(string queueId) => _redis.Key("qi", queueId);

    private RedisKey DoneKey(string queueId) => _redis.Key("qi-done", queueId);

    private RedisKey DeletedKey(string queueId) => _redis.Key("deleted", queueId);
}
