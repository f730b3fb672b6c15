using System.Net;
using Gateway.SenderIntelligence.Networks;
using Gateway.SenderIntelligence.Subjects;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Admin;

/// <summary>
/// The administrator decisions in memory, so that checks consult them without a store round trip. Refreshed from
/// the store every few seconds (decisions taken on other nodes), and at once for decisions taken here. The most
/// specific subject wins: an address decision over its network's, a subdomain's over its parent domain's.
/// </summary>
public sealed class OverrideRegistry
{
    private volatile Snapshot _snapshot = Snapshot.Empty;

    public int Count => _snapshot.Count;

    /// <summary>The decision applying to an address, if one is in force at <paramref name="now"/>.</summary>
    public OverrideMatch? ForAddress(IPAddress address, DateTimeOffset now)
    {
        var snapshot = _snapshot;
        if (snapshot.Networks.TryMatch(address, out var network)
            && snapshot.ByNetwork.TryGetValue(network, out var match) && match.Entry.IsActive(now))
        {
            return match;
        }

        return null;
    }

    /// <summary>The decision applying to a sender domain or its nearest parent, if one is in force.</summary>
    public OverrideMatch? ForDomain(string? domain, DateTimeOffset now)
    {
        var snapshot = _snapshot;
        if (string.IsNullOrEmpty(domain) || snapshot.ByDomain.Count == 0)
        {
            return null;
        }

        for (var name = domain; ; )
        {
            if (snapshot.ByDomain.TryGetValue(name, out var match))
            {
                return match.Entry.IsActive(now) ? match : null;
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0 || name.IndexOf('.', dot + 1) < 0)
            {
                return null;
            }

            name = name[(dot + 1)..];
        }
    }

    /// <summary>The decision stored for exactly this subject (active or not).</summary>
    public OverrideMatch? ForSubject(SenderSubject subject)
    {
        var snapshot = _snapshot;
        if (subject.Kind == SubjectKind.Domain)
        {
            return snapshot.ByDomain.GetValueOrDefault(subject.Canonical);
        }

        return subject.Network is { } network ? snapshot.ByNetwork.GetValueOrDefault(network) : null;
    }

    /// <summary>Replaces every decision with those read from the store (undecodable entries are skipped).</summary>
    public void Load(IReadOnlyDictionary<string, string> stored)
    {
        var matches = new List<OverrideMatch>();
        foreach (var (key, value) in stored)
        {
            if (SenderSubject.TryParseKey(key, out var subject) && OverrideEntry.TryDecode(value, out var entry))
            {
                matches.Add(new OverrideMatch(subject, entry));
            }
        }

        _snapshot = new Snapshot(matches);
    }

    /// <summary>Applies one decision taken on this node (null removes it) until the next refresh.</summary>
    public void Apply(SenderSubject subject, OverrideEntry? entry)
    {
        var current = _snapshot;
        var matches = current.All.Where(m => m.Subject.Key != subject.Key).ToList();
        if (entry is not null)
        {
            matches.Add(new OverrideMatch(subject, entry));
        }

        _snapshot = new Snapshot(matches);
    }

    /// <summary>Decisions whose end has passed, for the refresher to remove and record.</summary>
    public IReadOnlyList<OverrideMatch> Expired(DateTimeOffset now) =>
        _snapshot.All.Where(m => !m.Entry.IsActive(now)).ToList();

    private sealed class Snapshot
    {
        public Snapshot(IReadOnlyList<OverrideMatch> all)
        {
            All = all;
            ByNetwork = all.Where(m => m.Subject.Network is not null)
                .GroupBy(m => m.Subject.Network!.Value)
                .ToDictionary(g => g.Key, g => g.Last());
            ByDomain = all.Where(m => m.Subject.Kind == SubjectKind.Domain)
                .GroupBy(m => m.Subject.Canonical, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
            Networks = new IpNetworkSet(ByNetwork.Keys);
        }

        public static Snapshot Empty { get; } = new([]);

        public IReadOnlyList<OverrideMatch> All { get; }

        public int Count => All.Count;

        public Dictionary<IpNetwork, OverrideMatch> ByNetwork { get; }

        public Dictionary<string, OverrideMatch> ByDomain { get; }

        public IpNetworkSet Networks { get; }
    }
}
