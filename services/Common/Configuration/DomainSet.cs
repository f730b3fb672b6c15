using Microsoft.Extensions.Options;

namespace Gateway.Common.Configuration;

/// <summary>The configured local domains, compared case-insensitively and without a trailing dot.</summary>
public sealed class DomainSet
{
    private readonly HashSet<string> _domains;

    public DomainSet(IOptions<GatewayOptions> options)
        : this(options.Value.Domains)
    {
    }

    public DomainSet(IEnumerable<string> domains)
    {
        _domains = new HashSet<string>(domains.Select(Normalize).Where(d => d.Length > 0), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Domains => _domains;

    /// <summary>True when mail for <paramref name="domain"/> is ours to accept.</summary>
    public bool IsLocal(string domain) => _domains.Contains(Normalize(domain));

    /// <summary>Lowercases (ASCII) and strips one trailing dot; returns "" for null or blank.</summary>
    public static string Normalize(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            return "";
        }

        var d = domain.Trim().ToLowerInvariant();
        return d.EndsWith('.') ? d[..^1] : d;
    }
}
