using System.Net;
using Gateway.SenderIntelligence.Networks;

namespace Gateway.SenderIntelligence.Subjects;

/// <summary>
/// An address, network or domain in canonical form, with the key under which its profile, reputation, history
/// and administrator decision are stored (<c>ip:192.0.2.1</c>, <c>net:192.0.2.0/24</c>, <c>dom:example.com</c>).
/// </summary>
public sealed record SenderSubject
{
    private SenderSubject(SubjectKind kind, string canonical, IpNetwork? network, string? domain)
    {
        Kind = kind;
        Canonical = canonical;
        Network = network;
        Domain = domain;
    }

    public SubjectKind Kind { get; }

    /// <summary>"192.0.2.1", "192.0.2.0/24", "example.com".</summary>
    public string Canonical { get; }

    /// <summary>The network (a /32 or /128 for an address); null for a domain.</summary>
    public IpNetwork? Network { get; }

    public string? Domain { get; }

    public string Key => Kind switch
    {
        SubjectKind.Address => "ip:" + Canonical,
        SubjectKind.Network => "net:" + Canonical,
        _ => "dom:" + Canonical,
    };

    public string KindName => Kind switch
    {
        SubjectKind.Address => "address",
        SubjectKind.Network => "network",
        _ => "domain",
    };

    public static SenderSubject ForAddress(IPAddress address)
    {
        address = IpAddressParser.Normalize(address);
        return new(SubjectKind.Address, address.ToString(), IpNetwork.Parse(address.ToString()), null);
    }

    public static SenderSubject ForNetwork(IpNetwork network) =>
        network.PrefixLength == (network.Family == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            ? new(SubjectKind.Address, network.ToString()[..network.ToString().IndexOf('/', StringComparison.Ordinal)],
                network, null)
            : new(SubjectKind.Network, network.ToString(), network, null);

    /// <summary>
    /// A domain subject; <paramref name="domain"/> must already be canonical (see <see cref="DomainNames"/>).
    /// </summary>
    public static SenderSubject ForDomain(string domain) => new(SubjectKind.Domain, domain, null, domain);

    /// <summary>Parses what an administrator typed: an address, a CIDR network, or a domain name.</summary>
    public static bool TryParse(string? text, out SenderSubject subject, out string error)
    {
        subject = null!;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "the subject is empty: give an IP address, a CIDR network or a domain";
            return false;
        }

        var looksNumeric = text.Contains(':', StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal)
            || text.All(c => char.IsAsciiDigit(c) || c == '.');
        if (looksNumeric)
        {
            if (!IpNetwork.TryParse(text, out var network, out var why))
            {
                error = $"'{text}' {why}";
                return false;
            }

            subject = ForNetwork(network);
            error = "";
            return true;
        }

        if (!DomainNames.TryNormalize(text, out var domain))
        {
            error = $"'{text}' is neither an IP address, a CIDR network nor a domain name";
            return false;
        }

        subject = ForDomain(domain);
        error = "";
        return true;
    }

    /// <summary>Rebuilds a subject from its storage key.</summary>
    public static bool TryParseKey(string key, out SenderSubject subject)
    {
        subject = null!;
        if (key.StartsWith("dom:", StringComparison.Ordinal))
        {
            if (!DomainNames.TryNormalize(key[4..], out var domain))
            {
                return false;
            }

            subject = ForDomain(domain);
            return true;
        }

        if ((key.StartsWith("ip:", StringComparison.Ordinal) || key.StartsWith("net:", StringComparison.Ordinal))
            && IpNetwork.TryParse(key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..], out var network, out _))
        {
            subject = ForNetwork(network);
            return true;
        }

        return false;
    }

    public override string ToString() => Canonical;
}
