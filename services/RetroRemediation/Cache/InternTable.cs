using System.Collections.Concurrent;
using Gateway.Common.Redis;
using StackExchange.Redis;

namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// Gives the few names shared by many copies (recipient domains, Maildir roots) small numbers, so each
/// copy stores a byte or two instead of the name. Three keys per table, never expiring: <c>i:&lt;t&gt;</c>
/// (name → id), <c>j:&lt;t&gt;</c> (id → name) and <c>k:&lt;t&gt;</c> (last id). Ids never change once
/// given. The table is bounded; when it is full a name is stored inline in the entry instead (id 0), and
/// names this process has not seen yet are no longer looked up.
/// </summary>
internal sealed class InternTable
{
    private const int MaxNameLength = 512;

    private readonly IRedisConnection _redis;
    private readonly string _table;
    private readonly int _maxEntries;
    private readonly ConcurrentDictionary<string, uint> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<uint, string> _names = new();

    // Set once the table is full: new names are then stored inline without asking Redis each time.
    private volatile bool _full;

    public InternTable(IRedisConnection redis, string table, int maxEntries)
    {
        _redis = redis;
        _table = table;
        _maxEntries = maxEntries;
    }

    /// <summary>The id of <paramref name="name"/>, given now if it has none; 0 when it must be stored inline.</summary>
    public async Task<uint> GetIdAsync(string name)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return 0;
        }

        if (_ids.TryGetValue(name, out var known))
        {
            return known;
        }

        if (_full)
        {
            return 0;
        }

        var db = _redis.Database;
        var existing = await db.HashGetAsync(_redis.Key("i", _table), name);
        if (existing.TryParse(out long found) && found is > 0 and <= uint.MaxValue)
        {
            return Remember(name, (uint)found);
        }

        var id = _ids.Count >= _maxEntries ? long.MaxValue : await db.StringIncrementAsync(_redis.Key("k", _table));
        if (id > _maxEntries)
        {
            _full = true;
            return 0;
        }

        // The reverse mapping first: a reader that sees the id must be able to resolve it. An id that
        // loses the race below stays as an unused reverse entry, which is harmless.
        await db.HashSetAsync(_redis.Key("j", _table), id, name);
        if (!await db.HashSetAsync(_redis.Key("i", _table), name, id, When.NotExists))
        {
            var winner = await db.HashGetAsync(_redis.Key("i", _table), name);
            if (!winner.TryParse(out id) || id <= 0)
            {
                return 0;
            }
        }

        return Remember(name, (uint)id);
    }

    /// <summary>The names of <paramref name="ids"/>; ids unknown to Redis are left out.</summary>
    public async Task<IReadOnlyDictionary<uint, string>> ResolveAsync(IEnumerable<uint> ids)
    {
        var result = new Dictionary<uint, string>();
        var missing = new List<uint>();
        foreach (var id in ids.Distinct())
        {
            if (_names.TryGetValue(id, out var name))
            {
                result[id] = name;
            }
            else if (id != 0)
            {
                missing.Add(id);
            }
        }

        if (missing.Count > 0)
        {
            var values = await _redis.Database.HashGetAsync(
                _redis.Key("j", _table), missing.Select(id => (RedisValue)id).ToArray());
            for (var i = 0; i < missing.Count; i++)
            {
                if (!values[i].IsNullOrEmpty)
                {
                    result[missing[i]] = _names[missing[i]] = values[i].ToString();
                }
            }
        }

        return result;
    }

    private uint Remember(string name, uint id)
    {
        _ids[name] = id;
        _names[id] = name;
        return id;
    }
}
