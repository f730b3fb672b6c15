using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Networks;
using Gateway.SenderIntelligence.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence.Dnsbl;

/// <summary>
/// Looks a client up in every enabled zone at once and waits at most <see cref="DnsblOptions.Timeout"/> for all of
/// them: a zone that has not answered by then counts as not listing, so a slow list never holds a session. Answers
/// are cached for their TTL within [MinCacheTime, MaxCacheTime]; concurrent lookups of one name share one query,
/// and a query that outlives the wait still fills the cache for the next connection.
/// </summary>
public sealed class DnsblChecker
{
    private readonly IDnsQuery _dns;
    private readonly DnsblOptions _options;
    private readonly SenderMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<DnsAnswer>>> _inFlight = new(StringComparer.Ordinal);

    public DnsblChecker(
        IDnsQuery dns,
        IOptions<SenderIntelligenceOptions> options,
        SenderMetrics metrics,
        TimeProvider time,
        ILogger<DnsblChecker> logger)
    {
        _dns = dns;
        _options = options.Value.Global.Dnsbl;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        Zones = _options.Zones.Select(z =>
        {
            ReturnCodeFilter.TryParse(z.ReturnCodes, out var filter, out _);
            return new DnsblZone(z.Zone, z.Weight, filter, z.Ipv6);
        }).ToList();
        foreach (var zone in Zones)
        {
            _metrics.SetZoneEnabled(zone.Name, true);
        }
    }

    public IReadOnlyList<DnsblZone> Zones { get; }

    public int CachedAnswers => _cache.Count;

    /// <summary>The zones listing the address (with their answers); zones not answering in time are left out.</summary>
    public async Task<IReadOnlyList<ListingHit>> LookupAsync(IPAddress address, CancellationToken cancellationToken)
    {
        address = IpAddressParser.Normalize(address);
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        var zones = Zones.Where(z => z.Enabled && (!v6 || z.Ipv6)).ToList();
        if (zones.Count == 0)
        {
            return [];
        }

        var lookups = zones.Select(z => (Zone: z, Answer: AnswerAsync(z, address))).ToList();
        try
        {
            await Task.WhenAll(lookups.Select(l => l.Answer)).WaitAsync(_options.Timeout, _time, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Use what has arrived; the rest keep running and fill the cache.
        }

        var hits = new List<ListingHit>();
        foreach (var (zone, answer) in lookups)
        {
            if (!answer.IsCompletedSuccessfully)
            {
                // Not waited for any longer; the query itself is counted when it ends.
                _metrics.RecordDnsblLookup(zone.Name, "late", null);
                continue;
            }

            var listed = answer.Result.Status == DnsAnswerStatus.Found
                ? answer.Result.Addresses.FirstOrDefault(zone.Filter.Matches)
                : null;
            if (listed is not null)
            {
                hits.Add(new ListingHit(zone.Name, zone.Weight, listed.ToString()));
            }
        }

        return hits;
    }

    /// <summary>
    /// RFC 5782 section 5 test points: 127.0.0.2 must be listed and 127.0.0.1 must not (for IPv6 zones also
    /// ::ffff:7f00:2 and ::ffff:7f00:1). A zone answering wrongly is disabled, with a warning, until a later check
    /// passes; a zone that does not answer keeps its state (its lookups time out anyway).
    /// </summary>
    public async Task SelfCheckAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(Zones.Select(z => SelfCheckAsync(z, cancellationToken))).ConfigureAwait(false);
    }

    private async Task SelfCheckAsync(DnsblZone zone, CancellationToken cancellationToken)
    {
        var points = new List<(string Name, bool MustList)>
        {
            (DnsblQueryName.For(IPAddress.Parse("127.0.0.2"), zone.Name), true),
            (DnsblQueryName.For(IPAddress.Parse("127.0.0.1"), zone.Name), false),
        };
        if (zone.Ipv6)
        {
            // Written out as IPv6 so the query uses the nibble form, not the IPv4 one the mapped form normalises to.
            points.Add((DnsblQueryName.ForIpv6Bytes(V6TestPoint(2), zone.Name), true));
            points.Add((DnsblQueryName.ForIpv6Bytes(V6TestPoint(1), zone.Name), false));
        }

        var problems = new List<string>();
        foreach (var (name, mustList) in points)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            DnsAnswer answer;
            try
            {
                answer = await _dns.QueryAsync(name, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                answer = DnsAnswer.TimedOut;
            }

            if (answer.Status is DnsAnswerStatus.Timeout or DnsAnswerStatus.Error)
            {
                SenderIntelligenceLog.DnsblSelfCheckNoAnswer(_logger, zone.Name, name);
                return;
            }

            var listed = answer.Status == DnsAnswerStatus.Found && answer.Addresses.Any(zone.Filter.Matches);
            if (listed != mustList)
            {
                var answered = string.Join(", ", answer.Addresses);
                problems.Add(mustList ? $"{name} is not listed" : $"{name} is listed ({answered})");
            }
        }

        var passed = problems.Count == 0;
        if (!passed && zone.Enabled)
        {
            SenderIntelligenceLog.DnsblZoneDisabled(_logger, zone.Name, string.Join("; ", problems));
        }
        else if (passed && !zone.Enabled)
        {
            SenderIntelligenceLog.DnsblZoneReenabled(_logger, zone.Name);
        }

        zone.Enabled = passed;
        _metrics.SetZoneEnabled(zone.Name, passed);
    }

    private Task<DnsAnswer> AnswerAsync(DnsblZone zone, IPAddress address)
    {
        var name = DnsblQueryName.For(address, zone.Name);
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(name, out var cached) && cached.Expires > now)
        {
            _metrics.RecordDnsblLookup(zone.Name, "cached", null);
            return Task.FromResult(cached.Answer);
        }

        // One query per name at a time. The entry is removed by a continuation registered after it was added, so a
        // query that ends at once can never leave a finished entry behind (which would stand in for the cache).
        var created = new Lazy<Task<DnsAnswer>>(() => QueryAndCacheAsync(zone, name));
        var entry = _inFlight.GetOrAdd(name, created);
        if (ReferenceEquals(entry, created))
        {
            _ = entry.Value.ContinueWith(
                _ => _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<DnsAnswer>>>(name, created)),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return entry.Value;
    }

    private async Task<DnsAnswer> QueryAndCacheAsync(DnsblZone zone, string name)
    {
        var started = Stopwatch.GetTimestamp();
        DnsAnswer answer;
        using (var timeout = new CancellationTokenSource(_options.Timeout + TimeSpan.FromSeconds(1)))
        {
            try
            {
                answer = await _dns.QueryAsync(name, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                answer = DnsAnswer.TimedOut;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var result = answer.Status switch
        {
            DnsAnswerStatus.Found => answer.Addresses.Any(zone.Filter.Matches) ? "listed" : "not-listed",
            DnsAnswerStatus.NotFound => "not-listed",
            DnsAnswerStatus.Timeout => "timeout",
            _ => "error",
        };
        _metrics.RecordDnsblLookup(zone.Name, result, elapsed);
        if (answer.Status is DnsAnswerStatus.Found or DnsAnswerStatus.NotFound)
        {
            var ttl = answer.Ttl < _options.MinCacheTime ? _options.MinCacheTime
                : answer.Ttl > _options.MaxCacheTime ? _options.MaxCacheTime : answer.Ttl;
            Store(name, answer, _time.GetUtcNow() + ttl);
        }

        return answer;
    }

    private void Store(string name, DnsAnswer answer, DateTimeOffset expires)
    {
        if (_cache.Count >= _options.MaxCacheEntries)
        {
            var now = _time.GetUtcNow();
            foreach (var (key, entry) in _cache)
            {
                if (entry.Expires <= now)
                {
                    _cache.TryRemove(key, out _);
                }
            }

            if (_cache.Count >= _options.MaxCacheEntries)
            {
                // Still full of live answers: start over rather than grow without bound.
                _cache.Clear();
            }
        }

        _cache[name] = new CacheEntry(answer, expires);
    }

    /// <summary>::ffff:127.0.0.n as 16 bytes.</summary>
    private static byte[] V6TestPoint(byte last) => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0x7f, 0, 0, last];

    private sealed record CacheEntry(DnsAnswer Answer, DateTimeOffset Expires);
}
