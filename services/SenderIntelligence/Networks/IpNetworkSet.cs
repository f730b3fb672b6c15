using System.Net;
using System.Net.Sockets;

namespace Gateway.SenderIntelligence.Networks;

/// <summary>
/// A set of networks answering "which network holds this address" in one hash lookup per distinct prefix
/// length present (at most 33 for IPv4 and 129 for IPv6, in practice a handful), whatever the list size.
/// Lengths are tried longest first, so the most specific network is the one reported.
/// </summary>
public sealed class IpNetworkSet
{
    private readonly Table _v4;
    private readonly Table _v6;

    public IpNetworkSet(IEnumerable<IpNetwork> networks)
    {
        var all = networks.Distinct().ToList();
        Count = all.Count;
        _v4 = new Table(AddressFamily.InterNetwork, all);
        _v6 = new Table(AddressFamily.InterNetworkV6, all);
    }

    public static IpNetworkSet Empty { get; } = new([]);

    public int Count { get; }

    /// <summary>Finds the most specific network holding the address (normalised first).</summary>
    public bool TryMatch(IPAddress address, out IpNetwork network)
    {
        address = IpAddressParser.Normalize(address);
        var table = address.AddressFamily == AddressFamily.InterNetwork ? _v4 : _v6;
        return table.TryMatch(IpNetwork.ToInteger(address), out network);
    }

    public bool Contains(IPAddress address) => TryMatch(address, out _);

    private sealed class Table
    {
        private readonly (UInt128 Mask, Dictionary<UInt128, IpNetwork> ByPrefix)[] _byLength;

        public Table(AddressFamily family, IEnumerable<IpNetwork> networks)
        {
            _byLength = networks
                .Where(n => n.Family == family)
                .GroupBy(n => n.PrefixLength)
                .OrderByDescending(g => g.Key)
                .Select(g => (IpNetwork.Mask(family, g.Key), g.ToDictionary(n => n.Prefix)))
                .ToArray();
        }

        public bool TryMatch(UInt128 value, out IpNetwork network)
        {
            foreach (var (mask, byPrefix) in _byLength)
            {
                if (byPrefix.TryGetValue(value & mask, out network))
                {
                    return true;
                }
            }

            network = default;
            return false;
        }
    }
}
