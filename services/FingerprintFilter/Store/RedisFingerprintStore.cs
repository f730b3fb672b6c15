using System.Globalization;
using Gateway.Common.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.FingerprintFilter.Store;

/// <summary>
/// Fingerprints in Redis: one hash per fingerprint at <c>{prefix}fp:{kind}:{hex}</c> with the fields
/// <c>state</c> (spam|ham), <c>reports</c>, <c>first_seen</c> and <c>last_seen</c> (Unix seconds, UTC)
/// and <c>source</c> (latest reporter). Every report renews the key's TTL, so an entry lives for
/// SpamTtl (HamTtl) after the last report naming it.
/// </summary>
/// <remarks>
/// Commands for all fingerprints of a message go out as one pipelined batch: one network round trip
/// whatever the part count. A report reads the previous state and writes the new one in the same
/// batch but not atomically; two reports of the same content racing can both claim "changed",
/// which only affects that flag (the stored state is the later report's either way).
/// </remarks>
public sealed class RedisFingerprintStore : IFingerprintStore
{
    private const string StateField = "state";
    private const string ReportsField = "reports";
    private const string FirstSeenField = "first_seen";
    private const string LastSeenField = "last_seen";
    private const string SourceField = "source";
    private const int MaxSourceChars = 256;

    private readonly IRedisConnection _redis;
    private readonly FingerprintFilterOptions _options;
    private readonly TimeProvider _time;

    public RedisFingerprintStore(IRedisConnection redis, IOptions<FingerprintFilterOptions> options, TimeProvider time)
    {
        _redis = redis;
        _options = options.Value;
        _time = time;
    }

    public async Task<IReadOnlyDictionary<string, FingerprintState>> LookupAsync(
        IReadOnlyList<string> fingerprints, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, FingerprintState>(StringComparer.Ordinal);
        if (fingerprints.Count == 0)
        {
            return found;
        }

        var states = await RunAsync((batch, _) =>
            fingerprints.Select(fp => batch.HashGetAsync(KeyOf(fp), StateField)).ToArray(), cancellationToken);

        for (var i = 0; i < fingerprints.Count; i++)
        {
            if (ParseState(states[i]) is { } state)
            {
                found[fingerprints[i]] = state;
            }
        }

        return found;
    }

    public async Task<IReadOnlyList<FingerprintState?>> ReportAsync(
        IReadOnlyList<string> fingerprints, FingerprintState state, string source, CancellationToken cancellationToken)
    {
        if (fingerprints.Count == 0)
        {
            return [];
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var ttl = state == FingerprintState.Spam ? _options.SpamTtl : _options.HamTtl;
        var fields = new HashEntry[]
        {
            new(StateField, StateName(state)),
            new(LastSeenField, now),
            new(SourceField, source.Length > MaxSourceChars ? source[..MaxSourceChars] : source),
        };

        var previous = await RunAsync((batch, writes) => fingerprints.Select(fp =>
        {
            var key = KeyOf(fp);
            var before = batch.HashGetAsync(key, StateField);
            writes.Add(batch.HashSetAsync(key, fields));
            writes.Add(batch.HashSetAsync(key, FirstSeenField, now, When.NotExists));
            writes.Add(batch.HashIncrementAsync(key, ReportsField));
            writes.Add(batch.KeyExpireAsync(key, ttl));
            return before;
        }).ToArray(), cancellationToken);

        return previous.Select(ParseState).ToArray();
    }

    public async Task<FingerprintRecord?> GetAsync(string fingerprint, CancellationToken cancellationToken)
    {
        HashEntry[] entries;
        try
        {
            entries = await _redis.Database.HashGetAllAsync(KeyOf(fingerprint)).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw Unavailable(ex);
        }

        var fields = entries.ToDictionary(e => e.Name.ToString(), e => e.Value, StringComparer.Ordinal);
        if (!fields.TryGetValue(StateField, out var rawState) || ParseState(rawState) is not { } state)
        {
            return null;
        }

        return new FingerprintRecord(
            fingerprint,
            state,
            fields.TryGetValue(ReportsField, out var reports) && reports.TryParse(out long count) ? count : 0,
            TimeOf(fields, FirstSeenField),
            TimeOf(fields, LastSeenField),
            fields.TryGetValue(SourceField, out var source) ? source.ToString() : "");
    }

    private RedisKey KeyOf(string fingerprint) => _redis.Key("fp", fingerprint);

    /// <summary>
    /// Queues commands on one batch and sends them together. Returns the replies <paramref name="queue"/>
    /// returns; the commands it adds to the write list are awaited too, so a failed write fails the call.
    /// </summary>
    private async Task<RedisValue[]> RunAsync(
        Func<IBatch, List<Task>, Task<RedisValue>[]> queue, CancellationToken cancellationToken)
    {
        try
        {
            var batch = _redis.Database.CreateBatch();
            var writes = new List<Task>();
            var replies = queue(batch, writes);
            batch.Execute();
            var values = await Task.WhenAll(replies).WaitAsync(cancellationToken);
            await Task.WhenAll(writes).WaitAsync(cancellationToken);
            return values;
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw Unavailable(ex);
        }
    }

    private static bool IsStoreFault(Exception ex) => ex is RedisException or TimeoutException;

    private static FingerprintStoreUnavailableException Unavailable(Exception ex) =>
        new("The fingerprint store (Redis) did not answer: " + ex.Message, ex);

    private static string StateName(FingerprintState state) => state == FingerprintState.Spam ? "spam" : "ham";

    private static FingerprintState? ParseState(RedisValue value) => (string?)value switch
    {
        "spam" => FingerprintState.Spam,
        "ham" => FingerprintState.Ham,
        _ => null,
    };

    private static DateTimeOffset TimeOf(Dictionary<string, RedisValue> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.TryParse(out long seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
}
