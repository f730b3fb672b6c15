using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Gateway.Common.Redis;
using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Learning;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// Fingerprints in Redis (or Garnet), under the gateway's key prefix:
/// <list type="bullet">
/// <item><c>fp:{kind}:{hex}</c>: a hash per fingerprint: <c>trusted</c> (spam|ham) and <c>trusted_at</c>,
/// <c>spam_w</c> and <c>ham_w</c> (summed weights of untrusted reports), <c>n:{source class}</c> and
/// <c>reports</c> (counts), <c>first_seen</c>, <c>last_seen</c> and <c>expires</c> (Unix seconds),
/// <c>source</c> (latest reporter) and <c>seq</c> (change-log position), and <c>standing</c> and
/// <c>confidence</c>, a snapshot of what they amount to after the latest report (for people and tools
/// reading Redis; the filter derives them afresh when it reads). Its TTL is renewed by every report.</item>
/// <item><c>fpr:{kind}:{hex}</c>: a set of "s|reporter" / "h|reporter": which untrusted reporters named
/// the fingerprint, so each weighs once, and so a later trusted decision can credit or debit them.</item>
/// <item><c>fpchg</c> (+ <c>fpchg:seq</c>): the change log (<see cref="RedisSequenceLog"/>); one entry per
/// report listing its fingerprints. <c>fpchg:notify</c> is the pub/sub channel that wakes other nodes.</item>
/// </list>
/// </summary>
/// <remarks>
/// Weights are added with HINCRBYFLOAT and the trusted decision is a plain field, and standing is
/// derived from them when read, so two nodes learning at once never lose each other's reports (no
/// read-modify-write of a derived state). A report is three pipelined round trips: read, write, re-read.
/// </remarks>
public sealed class RedisFingerprintStore : IFingerprintStore
{
    private const string ChangeLogName = "fpchg";
    private const int ReadAllPageSize = 500;
    private const int MaxSourceChars = 256;

    private readonly IRedisConnection _redis;
    private readonly HotCacheOptions _cacheOptions;
    private readonly TimeProvider _time;
    private readonly RedisSequenceLog _log;
    private readonly RedisChannel _channel;
    private readonly FingerprintAssessor _assessor;

    public RedisFingerprintStore(IRedisConnection redis, IOptions<FingerprintFilterOptions> options, TimeProvider time)
    {
        _assessor = new FingerprintAssessor(options);
        _redis = redis;
        _cacheOptions = options.Value.HotCache;
        _time = time;
        _log = new RedisSequenceLog(redis, ChangeLogName);
        _channel = RedisChannel.Literal(redis.Key(ChangeLogName, "notify").ToString());
    }

    public async Task<IReadOnlyDictionary<string, FingerprintEntry>> LookupAsync(
        IReadOnlyList<string> fingerprints, CancellationToken cancellationToken)
    {
        if (fingerprints.Count == 0)
        {
            return new Dictionary<string, FingerprintEntry>(StringComparer.Ordinal);
        }

        return await GuardAsync(async () =>
        {
            var batch = _redis.Database.CreateBatch();
            var reads = fingerprints.Select(fp => batch.HashGetAllAsync(EntryKey(fp))).ToArray();
            batch.Execute();
            var hashes = await Task.WhenAll(reads).WaitAsync(cancellationToken);
            return Collect(fingerprints, hashes);
        });
    }

    public async Task<StoreReportOutcome> ApplyReportAsync(StoreReport report, CancellationToken cancellationToken)
    {
        var fingerprints = report.Fingerprints.Distinct(StringComparer.Ordinal).ToList();
        if (fingerprints.Count == 0)
        {
            var none = new Dictionary<string, FingerprintEntry>(StringComparer.Ordinal);
            return new StoreReportOutcome(none, none, [], Duplicate: false);
        }

        return await GuardAsync(async () =>
        {
            var database = _redis.Database;
            var mark = Mark(report.Verdict, report.Reporter);

            // Step 1, read: the entries as they are, whether this reporter named each fingerprint before
            // (SADD answers), the reporters a trusted decision settles with, and a change-log sequence.
            var read = database.CreateBatch();
            var before = fingerprints.Select(fp => read.HashGetAllAsync(EntryKey(fp))).ToArray();
            var firstFromReporter = report.Trusted
                ? []
                : fingerprints.Select(fp => read.SetAddAsync(ReportersKey(fp), mark)).ToArray();
            var settled = report.Trusted
                ? fingerprints.Where(FingerprintKinds.IdentifiesContent)
                    .Select(fp => read.SetMembersAsync(ReportersKey(fp))).ToArray()
                : [];
            var sequence = _log.ReserveAsync(read, 1);
            read.Execute();
            var beforeHashes = await Task.WhenAll(before).WaitAsync(cancellationToken);
            var added = await Task.WhenAll(firstFromReporter).WaitAsync(cancellationToken);
            var reporterMarks = await Task.WhenAll(settled).WaitAsync(cancellationToken);
            var seq = await sequence.WaitAsync(cancellationToken);

            // Step 2, write: entry fields, then the change-log entry (so a reader who sees the log entry
            // sees the fields), then the notification.
            var now = _time.GetUtcNow();
            var write = database.CreateBatch();
            var writes = new List<Task>();
            for (var i = 0; i < fingerprints.Count; i++)
            {
                var countWeight = !report.Trusted && added[i];
                QueueEntryWrite(write, writes, fingerprints[i], report, now, seq, countWeight);
            }

            writes.Add(_log.AppendAsync(write, seq, now, Encoding.UTF8.GetBytes(string.Join('\n', fingerprints))));
            writes.Add(_log.TrimAsync(write, _cacheOptions.MaxLogEntries));
            writes.Add(write.PublishAsync(_channel, seq));
            write.Execute();
            await Task.WhenAll(writes).WaitAsync(cancellationToken);

            // Step 3, re-read: what the entries are now, including other nodes' concurrent reports.
            var reread = database.CreateBatch();
            var after = fingerprints.Select(fp => reread.HashGetAllAsync(EntryKey(fp))).ToArray();
            reread.Execute();
            var afterHashes = await Task.WhenAll(after).WaitAsync(cancellationToken);
            var afterEntries = Collect(fingerprints, afterHashes);

            // Step 4, snapshot: the derived standing, for whoever reads the hash directly. A concurrent
            // report may overwrite it with its own, equally current, snapshot.
            var snapshot = database.CreateBatch();
            var snapshots = afterEntries.Values.Select(entry =>
            {
                var assessment = _assessor.Assess(entry, now);
                return snapshot.HashSetAsync(EntryKey(entry.Fingerprint), [
                    new HashEntry(EntryFields.Standing, assessment.Standing.ToString().ToLowerInvariant()),
                    new HashEntry(EntryFields.Confidence, Math.Round(assessment.Confidence, 4)),
                ]);
            }).ToArray();
            snapshot.Execute();
            await Task.WhenAll(snapshots).WaitAsync(cancellationToken);

            var earlier = reporterMarks.SelectMany(marks => marks)
                .Select(m => ParseMark(m))
                .OfType<ReporterVerdict>()
                .Distinct()
                .ToList();
            return new StoreReportOutcome(
                Collect(fingerprints, beforeHashes),
                afterEntries,
                earlier,
                Duplicate: !report.Trusted && !added.Any(a => a));
        });
    }

    public async Task<FingerprintEntry?> GetAsync(string fingerprint, CancellationToken cancellationToken)
    {
        var hash = await GuardAsync(() =>
            _redis.Database.HashGetAllAsync(EntryKey(fingerprint)).WaitAsync(cancellationToken));
        return Parse(fingerprint, hash);
    }

    public Task<long> CurrentWatermarkAsync(CancellationToken cancellationToken) =>
        GuardAsync(() => _log.CurrentAsync().WaitAsync(cancellationToken));

    public async Task<ChangePage> ReadChangesAsync(long watermark, int maxChanges, CancellationToken cancellationToken)
    {
        return await GuardAsync(async () =>
        {
            var page = await _log.ReadAsync(watermark, maxChanges, _cacheOptions.GapGrace, _time.GetUtcNow())
                .WaitAsync(cancellationToken);
            var changed = page.Entries
                .SelectMany(e => Encoding.UTF8.GetString(e.Payload.Span)
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries))
                .Distinct(StringComparer.Ordinal)
                .ToList();

            var batch = _redis.Database.CreateBatch();
            var reads = changed.Select(fp => batch.HashGetAllAsync(EntryKey(fp))).ToArray();
            batch.Execute();
            var hashes = await Task.WhenAll(reads).WaitAsync(cancellationToken);
            var entries = new List<FingerprintEntry>(changed.Count);
            var removed = new List<string>();
            for (var i = 0; i < changed.Count; i++)
            {
                if (Parse(changed[i], hashes[i]) is { } entry)
                {
                    entries.Add(entry);
                }
                else
                {
                    removed.Add(changed[i]);
                }
            }

            return new ChangePage(entries, removed, page.Watermark, page.More, page.Reset);
        });
    }

    public async IAsyncEnumerable<IReadOnlyList<FingerprintEntry>> ReadAllAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pattern = _redis.Key("fp", "*");
        var prefixLength = _redis.Key("fp", "").ToString().Length;
        var servers = GuardSync(() => _redis.Database.Multiplexer.GetServers()
            .Where(s => s.IsConnected && !s.IsReplica).ToList());
        foreach (var server in servers)
        {
            var keys = new List<RedisKey>(ReadAllPageSize);
            var enumerator = server.KeysAsync(_redis.Database.Database, pattern.ToString(), ReadAllPageSize)
                .GetAsyncEnumerator(cancellationToken);
            try
            {
                while (await GuardAsync(async () => await enumerator.MoveNextAsync()))
                {
                    keys.Add(enumerator.Current);
                    if (keys.Count >= ReadAllPageSize)
                    {
                        yield return await ReadKeysAsync(keys, prefixLength, cancellationToken);
                        keys.Clear();
                    }
                }
            }
            finally
            {
                await enumerator.DisposeAsync();
            }

            if (keys.Count > 0)
            {
                yield return await ReadKeysAsync(keys, prefixLength, cancellationToken);
            }
        }
    }

    public async Task<IAsyncDisposable> SubscribeAsync(Action onChange, CancellationToken cancellationToken)
    {
        var subscriber = _redis.Database.Multiplexer.GetSubscriber();
        Action<RedisChannel, RedisValue> handler = (_, _) => onChange();
        await GuardAsync(() => subscriber.SubscribeAsync(_channel, handler).WaitAsync(cancellationToken));
        return new Subscription(subscriber, _channel, handler);
    }

    private async Task<IReadOnlyList<FingerprintEntry>> ReadKeysAsync(
        List<RedisKey> keys, int prefixLength, CancellationToken cancellationToken)
    {
        return await GuardAsync(async () =>
        {
            var batch = _redis.Database.CreateBatch();
            var reads = keys.Select(k => batch.HashGetAllAsync(k)).ToArray();
            batch.Execute();
            var hashes = await Task.WhenAll(reads).WaitAsync(cancellationToken);
            var entries = new List<FingerprintEntry>(keys.Count);
            for (var i = 0; i < keys.Count; i++)
            {
                if (Parse(keys[i].ToString()[prefixLength..], hashes[i]) is { } entry)
                {
                    entries.Add(entry);
                }
            }

            return (IReadOnlyList<FingerprintEntry>)entries;
        });
    }

    private void QueueEntryWrite(
        IBatch batch, List<Task> writes, string fingerprint, StoreReport report, DateTimeOffset now, long seq,
        bool countWeight)
    {
        var key = EntryKey(fingerprint);
        var nowSeconds = now.ToUnixTimeSeconds();
        var source = report.Source.Length > MaxSourceChars ? report.Source[..MaxSourceChars] : report.Source;
        if (report.Trusted)
        {
            writes.Add(batch.HashSetAsync(key, [
                new HashEntry(EntryFields.Trusted, VerdictName(report.Verdict)),
                new HashEntry(EntryFields.TrustedAt, nowSeconds),
            ]));
        }
        else if (countWeight && report.Weight > 0)
        {
            var field = report.Verdict == FingerprintState.Spam ? EntryFields.SpamWeight : EntryFields.HamWeight;
            writes.Add(batch.HashIncrementAsync(key, field, report.Weight));
        }

        writes.Add(batch.HashIncrementAsync(key, EntryFields.CountPrefix + report.SourceClass));
        writes.Add(batch.HashIncrementAsync(key, EntryFields.Reports));
        writes.Add(batch.HashSetAsync(key, EntryFields.FirstSeen, nowSeconds, When.NotExists));
        writes.Add(batch.HashSetAsync(key, [
            new HashEntry(EntryFields.LastSeen, nowSeconds),
            new HashEntry(EntryFields.Expires, (now + report.Ttl).ToUnixTimeSeconds()),
            new HashEntry(EntryFields.Source, source),
            new HashEntry(EntryFields.Sequence, seq),
        ]));
        writes.Add(batch.KeyExpireAsync(key, report.Ttl));

        var reporters = ReportersKey(fingerprint);
        if (report.Trusted && FingerprintKinds.IdentifiesContent(fingerprint))
        {
            // Settled: the reporters were read in step 1 and are credited by the caller.
            writes.Add(batch.KeyDeleteAsync(reporters));
        }
        else if (!report.Trusted)
        {
            writes.Add(batch.KeyExpireAsync(reporters, report.Ttl));
        }
    }

    private RedisKey EntryKey(string fingerprint) => _redis.Key("fp", fingerprint);

    private RedisKey ReportersKey(string fingerprint) => _redis.Key("fpr", fingerprint);

    private static string Mark(FingerprintState verdict, string reporter) =>
        (verdict == FingerprintState.Spam ? "s|" : "h|") + reporter;

    private static ReporterVerdict? ParseMark(RedisValue mark)
    {
        var text = (string?)mark;
        if (text is null || text.Length < 3 || text[1] != '|')
        {
            return null;
        }

        return text[0] switch
        {
            's' => new ReporterVerdict(text[2..], FingerprintState.Spam),
            'h' => new ReporterVerdict(text[2..], FingerprintState.Ham),
            _ => null,
        };
    }

    private static Dictionary<string, FingerprintEntry> Collect(
        IReadOnlyList<string> fingerprints, HashEntry[][] hashes)
    {
        var found = new Dictionary<string, FingerprintEntry>(StringComparer.Ordinal);
        for (var i = 0; i < fingerprints.Count; i++)
        {
            if (Parse(fingerprints[i], hashes[i]) is { } entry)
            {
                found[fingerprints[i]] = entry;
            }
        }

        return found;
    }

    /// <summary>An entry from its hash fields; null when the hash is empty (unknown or expired).</summary>
    public static FingerprintEntry? Parse(string fingerprint, HashEntry[] hash)
    {
        if (hash.Length == 0)
        {
            return null;
        }

        FingerprintState? trusted = null, legacyState = null;
        double spamWeight = 0, hamWeight = 0;
        long firstSeen = 0, lastSeen = 0, expires = 0, sequence = 0, legacyReports = 0;
        var source = "";
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var field in hash)
        {
            var name = field.Name.ToString();
            switch (name)
            {
                case EntryFields.Trusted:
                    trusted = ParseVerdict(field.Value);
                    break;
                case EntryFields.LegacyState:
                    legacyState = ParseVerdict(field.Value);
                    break;
                case EntryFields.SpamWeight:
                    spamWeight = ParseDouble(field.Value);
                    break;
                case EntryFields.HamWeight:
                    hamWeight = ParseDouble(field.Value);
                    break;
                case EntryFields.FirstSeen:
                    field.Value.TryParse(out firstSeen);
                    break;
                case EntryFields.LastSeen:
                    field.Value.TryParse(out lastSeen);
                    break;
                case EntryFields.Expires:
                    field.Value.TryParse(out expires);
                    break;
                case EntryFields.Sequence:
                    field.Value.TryParse(out sequence);
                    break;
                case EntryFields.Source:
                    source = field.Value.ToString();
                    break;
                case EntryFields.Reports:
                    field.Value.TryParse(out legacyReports);
                    break;
                default:
                    if (name.StartsWith(EntryFields.CountPrefix, StringComparison.Ordinal)
                        && field.Value.TryParse(out long count))
                    {
                        counts[name[EntryFields.CountPrefix.Length..]] = count;
                    }

                    break;
            }
        }

        // Entries written before learning had weights (a bare "state") were all decided at once.
        trusted ??= spamWeight == 0 && hamWeight == 0 ? legacyState : null;
        if (counts.Count == 0 && legacyReports > 0)
        {
            counts["legacy"] = legacyReports;
        }

        if (trusted is null && spamWeight == 0 && hamWeight == 0 && counts.Count == 0)
        {
            return null;
        }

        return new FingerprintEntry(
            fingerprint,
            trusted,
            spamWeight,
            hamWeight,
            counts,
            DateTimeOffset.FromUnixTimeSeconds(firstSeen),
            DateTimeOffset.FromUnixTimeSeconds(lastSeen),
            expires > 0 ? DateTimeOffset.FromUnixTimeSeconds(expires) : DateTimeOffset.MaxValue,
            source,
            sequence);
    }

    private static string VerdictName(FingerprintState verdict) => verdict == FingerprintState.Spam ? "spam" : "ham";

    private static FingerprintState? ParseVerdict(RedisValue value) => (string?)value switch
    {
        "spam" => FingerprintState.Spam,
        "ham" => FingerprintState.Ham,
        _ => null,
    };

    private static double ParseDouble(RedisValue value) =>
        double.TryParse((string?)value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
        && double.IsFinite(parsed) ? parsed : 0;

    private static async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw Unavailable(ex);
        }
    }

    private static async Task GuardAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw Unavailable(ex);
        }
    }

    private static T GuardSync<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw Unavailable(ex);
        }
    }

    internal static bool IsStoreFault(Exception ex) => ex is RedisException or TimeoutException;

    internal static FingerprintStoreUnavailableException Unavailable(Exception ex) =>
        new("The fingerprint store (Redis) did not answer: " + ex.Message, ex);

    private sealed class Subscription(
        ISubscriber subscriber, RedisChannel channel, Action<RedisChannel, RedisValue> handler) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await subscriber.UnsubscribeAsync(channel, handler);
            }
            catch (Exception ex) when (IsStoreFault(ex))
            {
                // The connection is gone; so is the subscription.
            }
        }
    }
}
