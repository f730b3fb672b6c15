using System.Net;
using System.Net.Sockets;

namespace Gateway.SenderIntelligence.Networks;

/// <summary>
/// The network an address's neighbours share reputation in: the /24 of an IPv4 address, the /64 of an IPv6 one
/// (the usual size of one customer's assignment, RFC 6177).
/// </summary>
public static class ReputationNetwork
{
    public const int V4PrefixLength = 24;
    public const int V6PrefixLength = 64;

    public static IpNetwork Of(IPAddress address)
    {
        address = IpAddressParser.Normalize(address);
        var length = address.AddressFamily == AddressFamily.InterNetwork ? V4PrefixLength : V6PrefixLength;
        var value = IpNetwork.ToInteger(address) & IpNetwork.Mask(address.AddressFamily, length);
        return IpNetwork.FromPrefix(address.AddressFamily, value, length);
    }
}
