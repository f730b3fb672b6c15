using Gateway.Common.Configuration;

namespace Gateway.MtaEdge.Delivery.Routing;

/// <summary>
/// Which targets a recipient domain goes to: an exact static route, then the closest wildcard route
/// (<c>*.example.com</c>), then the default target for the local domains, then the remote targets,
/// which only delivery status reports may use. Anything else has no route.
/// </summary>
public sealed class DeliveryRouteTable
{
    private readonly Dictionary<string, ResolvedRoute> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResolvedRoute> _wildcards = new(StringComparer.Ordinal);
    private readonly DomainSet _localDomains;

    public DeliveryRouteTable(
        IEnumerable<(string Domain, ResolvedRoute Route)> routes,
        ResolvedRoute localDefault,
        ResolvedRoute? remote,
        DomainSet localDomains)
    {
        foreach (var (domain, route) in routes)
        {
            var normalized = DomainSet.Normalize(domain);
            if (normalized.StartsWith("*.", StringComparison.Ordinal))
            {
                _wildcards[normalized[2..]] = route;
            }
            else
            {
                _exact[normalized] = route;
            }
        }

        LocalDefault = localDefault;
        Remote = remote;
        _localDomains = localDomains;
    }

    public ResolvedRoute LocalDefault { get; }

    public ResolvedRoute? Remote { get; }

    public bool HasStaticRoutes => _exact.Count + _wildcards.Count > 0;

    /// <summary>
    /// The route for a recipient domain, or null when there is none. Mail from a real sender only
    /// ever goes to local domains: the edge is no relay, whatever a queue entry says.
    /// </summary>
    public ResolvedRoute? Find(string domain, bool isReport)
    {
        domain = DomainSet.Normalize(domain);
        var local = _localDomains.IsLocal(domain);
        if (!local && !isReport)
        {
            return null;
        }

        if (_exact.TryGetValue(domain, out var exact))
        {
            return exact;
        }

        for (var dot = domain.IndexOf('.'); dot >= 0; dot = domain.IndexOf('.', dot + 1))
        {
            if (_wildcards.TryGetValue(domain[(dot + 1)..], out var wildcard))
            {
                return wildcard;
            }
        }

        return local ? LocalDefault : Remote;
    }
}
