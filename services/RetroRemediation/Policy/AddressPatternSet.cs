using Gateway.Common.Configuration;

namespace Gateway.RetroRemediation.Policy;

/// <summary>
/// A list of addresses and domains, as in <c>SafeSenders</c> and <c>ExemptRecipients</c>. An address
/// entry matches that address (compared case-insensitively: many stores fold local parts, and a safe
/// list errs on the side of leaving mail alone); a domain entry matches the domain and its subdomains.
/// </summary>
public sealed class AddressPatternSet
{
    public const int MaxEntries = 10_000;

    private readonly HashSet<string> _addresses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _domains = new(StringComparer.Ordinal);

    public AddressPatternSet(IEnumerable<string> entries)
    {
        foreach (var entry in entries)
        {
            var value = entry.Trim().ToLowerInvariant();
            if (value.Contains('@'))
            {
                _addresses.Add(value);
            }
            else if (value.Length > 0)
            {
                _domains.Add(DomainSet.Normalize(value.TrimStart('*', '.')));
            }
        }
    }

    public bool IsEmpty => _addresses.Count == 0 && _domains.Count == 0;

    /// <summary>True when the address is listed, or its domain (or a parent of it) is.</summary>
    public bool MatchesAddress(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return false;
        }

        var value = address.Trim().ToLowerInvariant();
        var at = value.LastIndexOf('@');
        return _addresses.Contains(value) || (at > 0 && MatchesDomain(value[(at + 1)..]));
    }

    /// <summary>True when the domain or one of its parents is listed.</summary>
    public bool MatchesDomain(string? domain)
    {
        var d = DomainSet.Normalize(domain);
        for (var i = 0; d.Length > 0 && i < 128; i++)
        {
            if (_domains.Contains(d))
            {
                return true;
            }

            var dot = d.IndexOf('.');
            if (dot < 0)
            {
                return false;
            }

            d = d[(dot + 1)..];
        }

        return false;
    }

    /// <summary>
    /// An address with one '@' and a domain, or a domain of dot-separated labels (a leading "*." is allowed).
    /// </summary>
    public static bool IsValidEntry(string? entry)
    {
        if (string.IsNullOrWhiteSpace(entry) || entry.Length > 320 || entry.Any(c => char.IsControl(c) || c == ' '))
        {
            return false;
        }

        var at = entry.LastIndexOf('@');
        if (at >= 0 && (at == 0 || entry.IndexOf('@') != at))
        {
            return false;
        }

        var domain = at >= 0 ? entry[(at + 1)..]
            : entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..]
            : entry;
        var labels = domain.TrimEnd('.').Split('.');
        return labels.All(l => l.Length is > 0 and <= 63 && l.All(c => char.IsLetterOrDigit(c) || c is '-' or '_'));
    }
}
