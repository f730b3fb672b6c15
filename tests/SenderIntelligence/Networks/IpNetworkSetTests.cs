using System.Net;
using Gateway.SenderIntelligence.Networks;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Networks;

public sealed class IpNetworkSetTests
{
    [Fact]
    public void TryMatch_NestedNetworks_ReportsMostSpecific()
    {
        var set = Set("10.0.0.0/8", "10.1.0.0/16", "10.1.2.3", "2001:db8::/32", "2001:db8:1::/48");

        Assert.True(set.TryMatch(IPAddress.Parse("10.1.2.3"), out var host));
        Assert.Equal("10.1.2.3/32", host.ToString());
        Assert.True(set.TryMatch(IPAddress.Parse("10.1.9.9"), out var mid));
        Assert.Equal("10.1.0.0/16", mid.ToString());
        Assert.True(set.TryMatch(IPAddress.Parse("10.200.0.1"), out var wide));
        Assert.Equal("10.0.0.0/8", wide.ToString());
        Assert.True(set.TryMatch(IPAddress.Parse("2001:db8:1::5"), out var v6));
        Assert.Equal("2001:db8:1::/48", v6.ToString());
        Assert.False(set.Contains(IPAddress.Parse("11.0.0.1")));
        Assert.False(set.Contains(IPAddress.Parse("2001:db9::1")));
    }

    [Fact]
    public void Contains_MappedClientAgainstIPv4Entry_Matches()
    {
        var set = Set("198.51.100.0/24");

        Assert.True(set.Contains(IPAddress.Parse("::ffff:198.51.100.20")));
        Assert.False(set.Contains(IPAddress.Parse("::ffff:198.51.101.20")));
    }

    [Fact]
    public void Contains_DefaultRoutes_CoverOnlyTheirFamily()
    {
        var v4Only = Set("0.0.0.0/0");
        var v6Only = Set("::/0");

        Assert.True(v4Only.Contains(IPAddress.Parse("203.0.113.1")));
        Assert.False(v4Only.Contains(IPAddress.Parse("2001:db8::1")));
        Assert.True(v6Only.Contains(IPAddress.Parse("2001:db8::1")));
        Assert.False(v6Only.Contains(IPAddress.Parse("203.0.113.1")));
    }

    [Fact]
    public void Empty_MatchesNothing()
    {
        Assert.False(IpNetworkSet.Empty.Contains(IPAddress.Parse("192.0.2.1")));
        Assert.False(IpNetworkSet.Empty.Contains(IPAddress.Parse("::1")));
        Assert.Equal(0, IpNetworkSet.Empty.Count);
    }

    [Fact]
    public void Contains_LargeList_AnswersForEveryMemberAndNoOther()
    {
        // 65,536 single hosts: every member found, neighbours outside the range not.
        var networks = Enumerable.Range(0, 65_536)
            .Select(i => IpNetwork.Parse($"172.16.{i / 256}.{i % 256}"))
            .ToList();
        var set = new IpNetworkSet(networks);

        Assert.Equal(65_536, set.Count);
        Assert.All(networks.Where((_, i) => i % 997 == 0), n => Assert.True(set.Contains(IPAddress.Parse(
            n.ToString()[..n.ToString().IndexOf('/', StringComparison.Ordinal)]))));
        Assert.False(set.Contains(IPAddress.Parse("172.17.0.0")));
        Assert.False(set.Contains(IPAddress.Parse("172.15.255.255")));
    }

    [Fact]
    public void Constructor_DuplicateEntries_CountedOnce()
    {
        var set = Set("192.0.2.0/24", "192.0.2.0/24", "::ffff:192.0.2.0/120");

        Assert.Equal(1, set.Count);
    }

    private static IpNetworkSet Set(params string[] networks) => new(networks.Select(IpNetwork.Parse));
}
