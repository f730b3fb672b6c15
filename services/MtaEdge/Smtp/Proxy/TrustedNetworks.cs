using System.Net;
using System.Net.Sockets;

namespace Gateway.MtaEdge.Smtp.Proxy;

/// <summary>
/// The networks allowed to send a PROXY header. Addresses are compared as IPv4 when they are
/// IPv4-mapped IPv6 (a dual-stack listener reports IPv4 peers that way).
/// </summary>
public sealed class TrustedNetworks
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    public TrustedNetworks(IEnumerable<string> networks)
    {
        var parsed = new List<IPNetwork>();
        foreach (var text in networks)
        {
            if (!TryParseOne(text, out var network))
            {
                throw new FormatException($"'{text}' is not an address or CIDR network.");
            }

            parsed.Add(network);
        }

        _networks = parsed;
    }

    public bool Contains(IPAddress address)
    {
        address = Canonical(address);
        foreach (var network in _networks)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"10.0.0.0/8", "2001:db8::/32" or a single address ("192.0.2.7" means /32).</summary>
    public static bool TryParseOne(string? text, out IPNetwork network)
    {
        network = default;
        text = text?.Trim() ?? "";
        if (text.Length == 0)
        {
            return false;
        }

        if (!text.Contains('/'))
        {
            if (!IPAddress.TryParse(text, out var single))
            {
                return false;
            }

            single = Canonical(single);
            network = new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        // "10.1.2.3/8" is more likely a typo than a network: the address must be the network's own.
        var slash = text.IndexOf('/');
        return IPNetwork.TryParse(text, out network)
            && IPAddress.TryParse(text[..slash], out var given)
            && given.Equals(network.BaseAddress);
    }

    private static IPAddress Canonical(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
