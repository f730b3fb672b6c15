using Gateway.Common.Redis;
using Gateway.RetroRemediation.Configuration;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.RetroRemediation.Audit;

/// <summary>
/// The audit of remediation: every action with its time, copy, action and result, newest first, in the
/// Redis list <c>au</c> (protobuf <see cref="RemediationAuditEntry"/> values). Bounded: trimmed to
/// <c>Audit:MaxEntries</c> on every write, and the key expires after <c>Audit:Retention</c> without writes.
/// </summary>
public sealed class AuditLog
{
    /// <summary>Entries read per LRANGE while scanning.</summary>
    private const int ReadChunk = 1000;

    private readonly IRedisConnection _redis;
    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly TimeProvider _time;

    public AuditLog(IRedisConnection redis, IOptions<RetroRemediationOptions> options, TimeProvider time)
    {
        _redis = redis;
        _options = options;
        _time = time;
    }

    public async Task AppendAsync(RemediationAuditEntry entry)
    {
        var db = _redis.Database;
        var key = _redis.Key("au");
        var audit = _options.Value.Audit;
        await Task.WhenAll(
            db.ListLeftPushAsync(key, entry.ToByteArray()),
            db.ListTrimAsync(key, 0, audit.MaxEntries - 1),
            db.KeyExpireAsync(key, audit.Retention));
    }

    /// <summary>Entries at or after <paramref name="since"/>, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<(IReadOnlyList<RemediationAuditEntry> Entries, bool Truncated)> ListAsync(
        DateTimeOffset? since, int limit)
    {
        var floor = Floor(since);
        var entries = new List<RemediationAuditEntry>(Math.Min(limit, ReadChunk));
        var truncated = false;
        await ScanAsync(entry =>
        {
            // Writers of several processes interleave, so the list is only nearly ordered: an entry
            // a little older than the floor does not end the scan by itself.
            if (At(entry) < floor)
            {
                return At(entry) >= floor - TimeSpan.FromMinutes(1);
            }

            if (entries.Count == limit)
            {
                truncated = true;
                return false;
            }

            entries.Add(entry);
            return true;
        });
        return (entries, truncated);
    }

    /// <summary>
    /// Every entry (within retention) that <paramref name="match"/> accepts, newest first, at most <paramref
    /// name="max"/>.
    /// </summary>
    public async Task<IReadOnlyList<RemediationAuditEntry>> FindAsync(Func<RemediationAuditEntry, bool> match, int max)
    {
        var floor = Floor(null);
        var found = new List<RemediationAuditEntry>();
        await ScanAsync(entry =>
        {
            if (At(entry) >= floor && match(entry))
            {
                found.Add(entry);
            }

            return found.Count < max;
        });
        return found;
    }

    /// <summary>
    /// Feeds entries newest first to <paramref name="visit"/> until it returns false or the log ends.
    /// </summary>
    private async Task ScanAsync(Func<RemediationAuditEntry, bool> visit)
    {
        var db = _redis.Database;
        var key = _redis.Key("au");
        var max = _options.Value.Audit.MaxEntries;
        for (long start = 0; start < max; start += ReadChunk)
        {
            var values = await db.ListRangeAsync(key, start, Math.Min(start + ReadChunk, max) - 1);
            foreach (var value in values)
            {
                RemediationAuditEntry entry;
                try
                {
                    entry = RemediationAuditEntry.Parser.ParseFrom((byte[])value!);
                }
                catch (InvalidProtocolBufferException)
                {
                    continue;
                }

                if (!visit(entry))
                {
                    return;
                }
            }

            if (values.Length < ReadChunk)
            {
                return;
            }
        }
    }

    private DateTimeOffset Floor(DateTimeOffset? since)
    {
        var retained = _time.GetUtcNow() - _options.Value.Audit.Retention;
        return since is { } s && s > retained ? s : retained;
    }

    private static DateTimeOffset At(RemediationAuditEntry entry) =>
        entry.At?.ToDateTimeOffset() ?? DateTimeOffset.MinValue;
}
