using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Gateway.Common.Mail;
using Gateway.Common.Redis;
using Gateway.RetroRemediation.Configuration;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// Remembers delivered copies in Redis for the remediation window, in a compact layout (well under
/// 100 bytes a copy at a million copies; tools/bench/remediation measures it). Names many copies share
/// (recipient domains, Maildir roots, the right-hand sides of Message-IDs) are interned (<see cref="InternTable"/>).
/// <list type="bullet">
/// <item><c>sl</c>: sorted set of live slots (<see cref="CacheSlot"/>), score = slot start.</item>
/// <item><c>s:&lt;slot&gt;</c>: hash of the slot's counters: <c>r</c> record-stream bytes, <c>c</c> copies,
/// and per index bucket (<c>0</c>..<c>63</c>) its index-stream bytes. HINCRBY hands out space.</item>
/// <item><c>r:&lt;slot&gt;:&lt;page&gt;</c>: the slot's copy entries (<see cref="CopyEntryCodec"/>), in
/// fixed pages (<see cref="PageGeometry.Records"/>). A copy's id is its slot and offset.</item>
/// <item><c>x:&lt;slot&gt;:&lt;bucket&gt;:&lt;page&gt;</c>: the index, 10 bytes per fingerprint of a copy: 47 bits
/// of the fingerprint's SHA-256 (6 more bits choose the bucket) and the 4-byte offset of the copy entry. A
/// lookup reads one bucket per slot per fingerprint. With 53 bits, a lookup among two million index
/// entries mistakes another fingerprint for the wanted one with a chance of about 2e-10.</item>
/// <item><c>l:&lt;copy id&gt;</c>: the short lease that lets one worker at a time act on a copy.</item>
/// </list>
/// Every key of a slot expires one window after the slot ends; a copy itself counts as gone one window
/// after its delivery. Only single-key commands and MULTI/EXEC (with WATCH for conditions) are used, so a
/// Redis-protocol server such as Garnet serves it as well as Redis.
/// </summary>
public sealed class DeliveredMailCache
{
    /// <summary>Index buckets per slot: a lookup reads one bucket's share of the slot's index.</summary>
    public const int IndexBuckets = 64;

    private const int IndexEntryBytes = 10;
    private const int IndexHashBytes = 6;

    /// <summary>
    /// Bytes read per copy when only a few copies of a page are wanted; longer entries are read again.
    /// </summary>
    private const int EntryReadBytes = 320;

    private const int MaxAllocationTries = 4;
    private const int MaxInternedNames = 4096;

    private static readonly ConcurrentDictionary<int, byte[]> ZeroPages = new();

    private readonly IRedisConnection _redis;
    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeliveredMailCache> _logger;
    private readonly InternTable _domains;
    private readonly InternTable _roots;
    private readonly InternTable _messageIdHosts;

    // Pages and slots this process knows exist, so only the first write to each pays for creating it.
    private readonly ConcurrentDictionary<string, long> _knownPages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, bool> _knownSlots = new();

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
        _domains = new InternTable(redis, "d", MaxInternedNames);
        _roots = new InternTable(redis, "m", MaxInternedNames);
        _messageIdHosts = new InternTable(redis, "h", MaxInternedNames);
    }

    /// <summary>
    /// Stores a copy in state DELIVERED and indexes it under each fingerprint. Returns null when the
    /// window after <see cref="DeliveryRecord.DeliveredAt"/> has already passed. Recording the same
    /// delivery again (same queue id, recipient and location) writes a second entry, but every lookup
    /// keeps only the first one, so the copy keeps its state.
    /// </summary>
    public async Task<CachedCopy?> AddAsync(
        DeliveryRecord record, IReadOnlyCollection<string> fingerprints, CopyExemption exemption)
    {
        var window = _options.Value.Window;
        var now = _time.GetUtcNow();
        var deliveredAt = record.DeliveredAt?.ToDateTimeOffset() ?? now;

        // A clock ahead of ours must not stretch the window: count it from now at the latest.
        if (deliveredAt > now)
        {
            deliveredAt = now;
        }

        if (deliveredAt + window <= now)
        {
            return null;
        }

        if (!EnvelopeAddress.TryParse(record.Recipient, out var recipient))
        {
            throw new ArgumentException("DeliveryRecord.recipient must be an address (local@domain).");
        }

        var stored = record.Clone();
        stored.Fingerprints.Clear();
        stored.DeliveredAt = Timestamp.FromDateTimeOffset(
            DateTimeOffset.FromUnixTimeSeconds(deliveredAt.ToUnixTimeSeconds()));
        stored.EnvelopeSender = "";
        stored.FromDomain = "";
        stored.ClientAllowListed = false;
        var maildir = record.Store == MailboxStoreKind.Maildir
            ? MaildirLocation.TrySplit(record.Location, recipient)
            : null;
        var domainId = await _domains.GetIdAsync(recipient.Domain);
        var rootId = maildir is { } m ? await _roots.GetIdAsync(m.Root) : 0;
        var messageIdHostId = MessageIdParts.Split(record.MessageId) is { } parts
            ? await _messageIdHosts.GetIdAsync(parts.Right)
            : 0;

        var slot = CacheSlot.Current(now, window);
        var entry = CopyEntryCodec.Encode(
            stored, recipient, exemption, slot.Start, domainId, maildir, rootId, messageIdHostId);
        var ttl = slot.TimeToLive(now, window);
        await EnsureSlotAsync(slot, ttl, now, window);

        // Step 1: space for the entry and its index entries (one round trip, retried on a page edge).
        // Fingerprints that fall in the same bucket take their index space together, in one HINCRBY:
        // every store command is a write to the append-only file, and a copy has dozens of fingerprints.
        var db = _redis.Database;
        var counters = _redis.Key("s", slot.Id);
        var buckets = fingerprints.Select(Probe.Of).GroupBy(p => p.Bucket).Select(g => g.ToList()).ToList();
        var entryEnd = db.HashIncrementAsync(counters, "r", entry.Length);
        var indexEnds = buckets
            .Select(b => db.HashIncrementAsync(counters, b[0].Bucket.ToString(), IndexEntryBytes * b.Count))
            .ToList();
        _ = db.HashIncrementAsync(counters, "c", 1, CommandFlags.FireAndForget);
        var offset = await AllocateEntryAsync(db, counters, entry.Length, await entryEnd);

        // Step 2: the entry first, then the index entries that point at it (same connection, in order).
        var writes = new List<Task>(buckets.Count + 1)
        {
            WriteAsync(db, RecordPlace(slot.Start, offset), entry, ttl, slot.Start),
        };
        for (var i = 0; i < buckets.Count; i++)
        {
            var probes = buckets[i];
            var indexStart = await indexEnds[i] - IndexEntryBytes * probes.Count;
            var bytes = new byte[IndexEntryBytes * probes.Count];
            for (var j = 0; j < probes.Count; j++)
            {
                var indexEntry = bytes.AsSpan(j * IndexEntryBytes, IndexEntryBytes);
                WriteHash(indexEntry, probes[j].Hash);
                BinaryPrimitives.WriteUInt32BigEndian(indexEntry[IndexHashBytes..], (uint)offset);
            }

            // Page sizes are multiples of the entry size, so no entry crosses a page, but a run of
            // entries can: one write per page it touches.
            for (var written = 0; written < bytes.Length;)
            {
                var place = IndexPlace(slot.Start, probes[0].Bucket, indexStart + written);
                var length = (int)Math.Min(bytes.Length - written, place.PageSize - place.Offset);
                var run = length == bytes.Length ? bytes : bytes[written..(written + length)];
                writes.Add(WriteAsync(db, place, run, ttl, slot.Start));
                written += length;
            }
        }

        await Task.WhenAll(writes);
        var id = new CopyId(slot.Start, offset).ToString();
        var decoded = CopyEntryCodec.Decode(entry, slot.Start)!;
        return new CachedCopy(id, stored, CopyProgress.Recorded, exemption, deliveredAt + window)
        {
            ProgressPlace = ProgressPlaceOf(slot.Start, offset, decoded),
            MatchedFingerprints = fingerprints.ToList(),
        };
    }

    /// <summary>The copy with this id, or null when it expired, never was, or the id is malformed.</summary>
    public async Task<CachedCopy?> GetAsync(string id)
    {
        var copies = await GetManyAsync([id]);
        return copies.Count == 1 ? copies[0] : null;
    }

    /// <summary>
    /// The live copies among <paramref name="ids"/> (unknown, expired and malformed ids are left out).
    /// </summary>
    public async Task<IReadOnlyList<CachedCopy>> GetManyAsync(IEnumerable<string> ids)
    {
        var wanted = new Dictionary<CopyId, IReadOnlyList<string>>();
        foreach (var id in ids)
        {
            if (CopyId.TryParse(id, out var parsed))
            {
                wanted[parsed] = [];
            }
        }

        return await ReadCopiesAsync(wanted);
    }

    /// <summary>
    /// Every live copy carrying any of the fingerprints (and, with <paramref name="accept"/>, only those whose
    /// shared fingerprints it accepts), oldest delivery first, at most <paramref name="limit"/>; a copy
    /// recorded twice counts once.
    /// </summary>
    public async Task<CopyLookup> FindAsync(
        IReadOnlyCollection<string> fingerprints, int limit, Func<IReadOnlyCollection<string>, bool>? accept = null)
    {
        var db = _redis.Database;
        var probes = fingerprints.Distinct(StringComparer.Ordinal).Select(Probe.Of).ToList();
        if (probes.Count == 0)
        {
            return new CopyLookup([], 0);
        }

        var slots = await LiveSlotsAsync();
        var buckets = probes.Select(p => p.Bucket).Distinct().ToArray();
        var bucketFields = buckets.Select(b => (RedisValue)b.ToString()).ToArray();

        // Round 1: how many index bytes each wanted bucket holds in each live slot.
        var sizes = await Task.WhenAll(slots.Select(s => db.HashGetAsync(_redis.Key("s", s.Id), bucketFields)));

        // Round 2: those index pages.
        var reads = new List<(CacheSlot Slot, int Bucket, Task<RedisValue> Data)>();
        for (var s = 0; s < slots.Count; s++)
        {
            for (var b = 0; b < buckets.Length; b++)
            {
                if (!sizes[s][b].TryParse(out long length) || length <= 0)
                {
                    continue;
                }

                foreach (var (page, _, used) in PageGeometry.Index.Covering(length))
                {
                    var key = _redis.Key("x", slots[s].Id, buckets[b].ToString(), page.ToString());
                    reads.Add((slots[s], buckets[b], db.StringGetRangeAsync(key, 0, used - 1)));
                }
            }
        }

        await Task.WhenAll(reads.Select(r => r.Data));
        var matches = new Dictionary<CopyId, List<string>>();
        foreach (var (slot, bucket, data) in reads)
        {
            var bytes = (byte[]?)data.Result;
            for (var i = 0; bytes is not null && i + IndexEntryBytes <= bytes.Length; i += IndexEntryBytes)
            {
                var hash = ReadHash(bytes.AsSpan(i));
                if (hash == 0)
                {
                    // Allocated but never written: its writer died. Nothing points here.
                    continue;
                }

                foreach (var probe in probes)
                {
                    if (probe.Bucket == bucket && probe.Hash == hash)
                    {
                        var id = new CopyId(
                            slot.Start, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(i + IndexHashBytes)));
                        if (!matches.TryGetValue(id, out var list))
                        {
                            matches[id] = list = [];
                        }

                        if (!list.Contains(probe.Fingerprint))
                        {
                            list.Add(probe.Fingerprint);
                        }
                    }
                }
            }
        }

        // Round 3: the copy entries, of the copies the rule accepts (judged before reading, so a crowd of
        // copies sharing one weak fingerprint costs no reads and does not crowd out the real ones).
        var copies = await ReadCopiesAsync(matches
            .Where(m => accept is null || accept(m.Value))
            .ToDictionary(m => m.Key, m => (IReadOnlyList<string>)m.Value));
        var ordered = copies
            .OrderBy(c => c.Record.DeliveredAt.Seconds)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return new CopyLookup(ordered, copies.Count);
    }

    /// <summary>
    /// Rewrites a copy's progress in place. False when its page expired meanwhile: it is not brought back.
    /// </summary>
    public async Task<bool> SaveProgressAsync(CachedCopy copy, CopyProgress progress)
    {
        if (!CopyId.TryParse(copy.Id, out var id))
        {
            return false;
        }

        var bytes = new byte[CopyProgress.Size];
        progress.Write(bytes, id.SlotStart);

        // WATCH + EXISTS + MULTI: SETRANGE on a missing key would create it without an expiry.
        var transaction = _redis.Database.CreateTransaction();
        transaction.AddCondition(Condition.KeyExists(copy.ProgressPlace.Key));
        _ = transaction.StringSetRangeAsync(copy.ProgressPlace.Key, copy.ProgressPlace.Offset, bytes);
        return await transaction.ExecuteAsync();
    }

    /// <summary>
    /// Takes the short lease that makes one worker at a time act on a copy, across processes.
    /// Returns the lease token, or null when another worker holds it.
    /// </summary>
    public async Task<string?> TryLeaseAsync(string id, TimeSpan duration)
    {
        var token = Guid.NewGuid().ToString("N");
        return await _redis.Database.LockTakeAsync(_redis.Key("l", id), token, duration) ? token : null;
    }

    /// <summary>Gives the lease back if it is still ours.</summary>
    public Task ReleaseLeaseAsync(string id, string token) =>
        _redis.Database.LockReleaseAsync(_redis.Key("l", id), token);

    /// <summary>Copies and bytes held by the live slots, from their counters.</summary>
    public async Task<CacheStatistics> GetStatisticsAsync()
    {
        var slots = await LiveSlotsAsync();
        var counters = await Task.WhenAll(slots.Select(s => _redis.Database.HashGetAllAsync(_redis.Key("s", s.Id))));
        long copies = 0, recordBytes = 0, indexBytes = 0;
        foreach (var field in counters.SelectMany(c => c))
        {
            if (!field.Value.TryParse(out long value))
            {
                continue;
            }

            var name = field.Name.ToString();
            if (name == "c")
            {
                copies += value;
            }
            else if (name == "r")
            {
                recordBytes += value;
            }
            else if (int.TryParse(name, out _))
            {
                indexBytes += value;
            }
        }

        return new CacheStatistics(copies, recordBytes, indexBytes, slots.Count);
    }

    /// <summary>
    /// Shrinks the last, partly used page of each stream of slots that ended at least a minute ago (no
    /// writer allocates there any more) to its used length, so a closed slot holds no zeros. Each page is
    /// replaced only if it is still exactly what was read (WATCH), so a concurrent state update is never
    /// lost. Marks a slot done in its counters (<c>z</c>). Returns the bytes freed.
    /// </summary>
    /// <param name="grace">How long after its end a slot counts as closed (default one minute).</param>
    public async Task<long> CompactClosedSlotsAsync(TimeSpan? grace = null)
    {
        var after = (long)(grace ?? TimeSpan.FromMinutes(1)).TotalSeconds;
        var db = _redis.Database;
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        long freed = 0;
        foreach (var slot in await LiveSlotsAsync())
        {
            var countersKey = _redis.Key("s", slot.Id);
            if (slot.End + after > now)
            {
                continue;
            }

            var counters = await db.HashGetAllAsync(countersKey);
            if (counters.Length == 0 || counters.Any(c => c.Name == "z"))
            {
                continue;
            }

            foreach (var counter in counters)
            {
                var name = counter.Name.ToString();
                if (!counter.Value.TryParse(out long length) || length <= 0 || name == "c")
                {
                    continue;
                }

                var (geometry, key) = name == "r"
                    ? (PageGeometry.Records, (Func<long, RedisKey>)(page => RecordKey(slot.Start, page)))
                    : (PageGeometry.Index, page => _redis.Key("x", slot.Id, name, page.ToString()));
                var (lastPage, _, used) = geometry.Covering(length).Last();
                freed += await ShrinkPageAsync(db, key(lastPage), used);
            }

            await db.HashSetAsync(countersKey, "z", 1);
        }

        return freed;
    }

    private static async Task<long> ShrinkPageAsync(IDatabase db, RedisKey key, int used)
    {
        var page = (byte[]?)await db.StringGetAsync(key);
        if (page is null || page.Length <= used)
        {
            return 0;
        }

        var transaction = db.CreateTransaction();
        transaction.AddCondition(Condition.StringEqual(key, page));
        _ = transaction.StringSetAsync(key, page.AsMemory(0, used).ToArray(), expiry: null, keepTtl: true);
        return await transaction.ExecuteAsync() ? page.Length - used : 0;
    }

    /// <summary>
    /// The identity of a delivery: the same one recorded twice is one copy, while two recipients of one
    /// message, even in the same mailbox, are two.
    /// </summary>
    internal static string Identity(DeliveryRecord record) =>
        string.Join('\n', record.QueueId, record.Recipient.ToLowerInvariant(), record.Location);

    private async Task<IReadOnlyList<CachedCopy>> ReadCopiesAsync(
        IReadOnlyDictionary<CopyId, IReadOnlyList<string>> ids)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var db = _redis.Database;
        var entries = new List<(CopyId Id, CopyEntry Entry)>();
        var retry = new List<(CopyId Id, int Length)>();

        // A page with many wanted entries is read whole; otherwise each entry on its own.
        foreach (var group in ids.Keys.GroupBy(id => (id.SlotStart, Page: PageGeometry.Records.Locate(id.Offset).Page)))
        {
            var (_, pageStart, size) = PageGeometry.Records.Locate(group.First().Offset);
            var key = RecordKey(group.Key.SlotStart, group.Key.Page);
            var members = group.ToList();
            if (members.Count * EntryReadBytes > size / 2)
            {
                var page = (byte[]?)await db.StringGetAsync(key);
                foreach (var id in members)
                {
                    Collect(id, page, id.Offset - pageStart, entries, retry);
                }
            }
            else
            {
                var reads = members.Select(id => db.StringGetRangeAsync(
                    key, id.Offset - pageStart, Math.Min(id.Offset - pageStart + EntryReadBytes, size) - 1)).ToList();
                for (var i = 0; i < members.Count; i++)
                {
                    Collect(members[i], (byte[]?)await reads[i], 0, entries, retry);
                }
            }
        }

        foreach (var (id, length) in retry)
        {
            var (page, pageStart, _) = PageGeometry.Records.Locate(id.Offset);
            var data = (byte[]?)await db.StringGetRangeAsync(
                RecordKey(id.SlotStart, page), id.Offset - pageStart, id.Offset - pageStart + length - 1);
            if (data is not null && DecodeSafely(id, data) is { } entry)
            {
                entries.Add((id, entry));
            }
        }

        var domains = await _domains.ResolveAsync(
            entries.Where(e => e.Entry.DomainId != 0).Select(e => e.Entry.DomainId));
        var roots = await _roots.ResolveAsync(entries.Where(e => e.Entry.RootId != 0).Select(e => e.Entry.RootId));
        var hosts = await _messageIdHosts.ResolveAsync(
            entries.Where(e => e.Entry.MessageIdHostId != 0).Select(e => e.Entry.MessageIdHostId));
        var now = _time.GetUtcNow();
        var window = _options.Value.Window;
        var copies = new Dictionary<string, CachedCopy>(StringComparer.Ordinal);
        foreach (var (id, entry) in entries.OrderBy(e => e.Id.SlotStart).ThenBy(e => e.Id.Offset))
        {
            if (ToCachedCopy(id, entry, domains, roots, hosts, window) is not { } copy || copy.ExpiresAt <= now)
            {
                continue;
            }

            // A delivery recorded twice: the first entry is the copy, the later ones are ignored.
            copies.TryAdd(Identity(copy.Record), copy with { MatchedFingerprints = ids[id] });
        }

        return copies.Values.ToList();
    }

    private void Collect(
        CopyId id, byte[]? data, long start, List<(CopyId, CopyEntry)> entries, List<(CopyId, int)> retry)
    {
        if (data is null || start >= data.Length)
        {
            return;
        }

        var span = data.AsSpan((int)start);
        try
        {
            var reader = new ByteReader(span);
            var length = reader.Length32(CopyEntryCodec.MaxEntryBytes);
            var total = reader.Position + length;
            if (length > 0 && total > span.Length)
            {
                retry.Add((id, total));
                return;
            }
        }
        catch (FormatException)
        {
            // Damaged: DecodeSafely below logs it.
        }

        if (DecodeSafely(id, span) is { } entry)
        {
            entries.Add((id, entry));
        }
    }

    private CopyEntry? DecodeSafely(CopyId id, ReadOnlySpan<byte> data)
    {
        try
        {
            return CopyEntryCodec.Decode(data, id.SlotStart);
        }
        catch (FormatException ex)
        {
            DeliveredMailCacheLog.CorruptCopy(_logger, id.ToString(), ex);
            return null;
        }
    }

    private CachedCopy? ToCachedCopy(
        CopyId id, CopyEntry entry, IReadOnlyDictionary<uint, string> domains, IReadOnlyDictionary<uint, string> roots,
        IReadOnlyDictionary<uint, string> hosts, TimeSpan window)
    {
        var domain = entry.DomainId == 0 ? entry.Domain : domains.GetValueOrDefault(entry.DomainId);
        var root = entry.RootId == 0 ? entry.Root : roots.GetValueOrDefault(entry.RootId);
        var host = entry.MessageIdHostId == 0 ? "" : hosts.GetValueOrDefault(entry.MessageIdHostId);
        if (domain is null || host is null || (entry.LocationForm == CopyLocationForm.Maildir && root is null))
        {
            DeliveredMailCacheLog.CorruptCopy(_logger, id.ToString(), new FormatException("unknown interned name"));
            return null;
        }

        var recipient = new EnvelopeAddress(entry.LocalPart, domain);
        var deliveredAt = DateTimeOffset.FromUnixTimeSeconds(entry.DeliveredAtSeconds);
        var record = new DeliveryRecord
        {
            QueueId = entry.QueueId,
            Recipient = recipient.ToString(),
            Store = entry.Store,
            Folder = entry.Folder,
            Location = entry.LocationForm switch
            {
                CopyLocationForm.Maildir => new MaildirLocation(root!, entry.InCur, entry.FileName).Join(recipient),
                CopyLocationForm.Verbatim => entry.Location,
                _ => "",
            },
            MessageId = entry.MessageIdHostId == 0 ? entry.MessageId : MessageIdParts.Join(entry.MessageId, host),
            Size = entry.Size,
            DeliveredAt = Timestamp.FromDateTimeOffset(deliveredAt),
        };
        return new CachedCopy(id.ToString(), record, entry.Progress, entry.Exemption, deliveredAt + window)
        {
            ProgressPlace = ProgressPlaceOf(id.SlotStart, id.Offset, entry),
        };
    }

    private RedisPlace ProgressPlaceOf(long slotStart, long offset, CopyEntry entry)
    {
        var (page, pageStart, _) = PageGeometry.Records.Locate(offset);
        return new RedisPlace(RecordKey(slotStart, page), offset - pageStart + entry.ProgressOffset);
    }

    /// <summary>
    /// Turns the end offset HINCRBY gave into the entry's start. An entry must lie within one page; one
    /// that would cross a page edge leaves that space unused (zeros, which readers skip) and asks again.
    /// </summary>
    private static async Task<long> AllocateEntryAsync(IDatabase db, RedisKey counters, int length, long end)
    {
        for (var attempt = 1; ; attempt++)
        {
            var start = end - length;
            var (_, pageStart, size) = PageGeometry.Records.Locate(start);
            if (end <= pageStart + size)
            {
                return start;
            }

            if (attempt == MaxAllocationTries)
            {
                throw new InvalidOperationException("could not place a cache entry within one page");
            }

            end = await db.HashIncrementAsync(counters, "r", length);
        }
    }

    /// <summary>Writes into a page, creating it at its full size (zeros, with the slot's expiry) if needed.</summary>
    private async Task WriteAsync(
        IDatabase db, (RedisKey Key, long Offset, int PageSize) place, byte[] data, TimeSpan ttl, long slotStart)
    {
        var key = place.Key.ToString();
        if (_knownPages.ContainsKey(key))
        {
            await db.StringSetRangeAsync(place.Key, place.Offset, data);
            return;
        }

        var transaction = db.CreateTransaction();
        _ = transaction.StringSetAsync(place.Key, ZeroPage(place.PageSize), ttl, When.NotExists);
        _ = transaction.StringSetRangeAsync(place.Key, place.Offset, data);
        await transaction.ExecuteAsync();
        _knownPages[key] = slotStart;
    }

    private (RedisKey Key, long Offset, int PageSize) RecordPlace(long slotStart, long offset)
    {
        var (page, pageStart, size) = PageGeometry.Records.Locate(offset);
        return (RecordKey(slotStart, page), offset - pageStart, size);
    }

    private (RedisKey Key, long Offset, int PageSize) IndexPlace(long slotStart, int bucket, long offset)
    {
        var (page, pageStart, size) = PageGeometry.Index.Locate(offset);
        var key = _redis.Key("x", Base36.Format(slotStart), bucket.ToString(), page.ToString());
        return (key, offset - pageStart, size);
    }

    private string RecordKey(long slotStart, long page) =>
        _redis.Key("r", Base36.Format(slotStart), page.ToString()).ToString();

    private static byte[] ZeroPage(int size) => ZeroPages.GetOrAdd(size, s => new byte[s]);

    /// <summary>Registers a new slot once per process, and forgets what is known about old ones.</summary>
    private async Task EnsureSlotAsync(CacheSlot slot, TimeSpan ttl, DateTimeOffset now, TimeSpan window)
    {
        if (_knownSlots.ContainsKey(slot.Start))
        {
            return;
        }

        var db = _redis.Database;
        var registry = _redis.Key("sl");
        await Task.WhenAll(
            db.SortedSetAddAsync(registry, slot.Member, slot.Start),
            db.HashIncrementAsync(_redis.Key("s", slot.Id), "c", 0),
            db.KeyExpireAsync(_redis.Key("s", slot.Id), ttl),
            db.SortedSetRemoveRangeByScoreAsync(
                registry, double.NegativeInfinity, now.ToUnixTimeSeconds() - window.TotalSeconds - 2 * 3600));
        _knownSlots[slot.Start] = true;

        foreach (var old in _knownSlots.Keys.Where(s => s < slot.Start - 2L * slot.Length))
        {
            _knownSlots.TryRemove(old, out _);
        }

        foreach (var page in _knownPages.Where(p => p.Value < slot.Start - 2L * slot.Length))
        {
            _knownPages.TryRemove(page.Key, out _);
        }
    }

    /// <summary>The slots that may still hold live copies.</summary>
    private async Task<IReadOnlyList<CacheSlot>> LiveSlotsAsync()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var window = (long)Math.Ceiling(_options.Value.Window.TotalSeconds);
        var members = await _redis.Database.SortedSetRangeByScoreAsync(
            _redis.Key("sl"), now - window - 2 * 3600, double.PositiveInfinity);
        var slots = new List<CacheSlot>(members.Length);
        foreach (var member in members)
        {
            if (CacheSlot.TryParseMember(member.ToString(), out var slot) && slot.End + slot.Length + window > now)
            {
                slots.Add(slot);
            }
        }

        return slots;
    }

    private static void WriteHash(Span<byte> target, ulong hash)
    {
        for (var i = IndexHashBytes - 1; i >= 0; i--)
        {
            target[i] = (byte)hash;
            hash >>= 8;
        }
    }

    private static ulong ReadHash(ReadOnlySpan<byte> source)
    {
        ulong hash = 0;
        for (var i = 0; i < IndexHashBytes; i++)
        {
            hash = hash << 8 | source[i];
        }

        return hash;
    }

    /// <summary>
    /// A fingerprint as the index stores it: 48 bits of its SHA-256 with the top one set (so never 0, which
    /// marks an entry never written), and its bucket from other bits of the digest.
    /// </summary>
    private readonly record struct Probe(string Fingerprint, ulong Hash, int Bucket)
    {
        public static Probe Of(string fingerprint)
        {
            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint), digest);
            var hash = BinaryPrimitives.ReadUInt64BigEndian(digest) >> 16 | 1UL << 47;
            var bucket = (int)(BinaryPrimitives.ReadUInt32BigEndian(digest[8..]) % IndexBuckets);
            return new Probe(fingerprint, hash, bucket);
        }
    }
}
