using System.Net;
using Gateway.SenderIntelligence.Feeds;
using Gateway.SenderIntelligence.Networks;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Feeds;

public sealed class IpRangeTableTests
{
    [Fact]
    public void Build_OverlappingAndAdjacentNetworks_MergedIntoRanges()
    {
        var table = Table("10.0.0.0/24", "10.0.1.0/24", "10.0.0.128/25", "10.0.3.0/24", "2001:db8::/64",
            "2001:db8:0:1::/64");

        Assert.Equal(3, table.RangeCount);
        Assert.True(table.Contains(IPAddress.Parse("10.0.1.255")));
        Assert.False(table.Contains(IPAddress.Parse("10.0.2.0")));
        Assert.True(table.Contains(IPAddress.Parse("10.0.3.0")));
        Assert.True(table.Contains(IPAddress.Parse("2001:db8:0:1:ffff::1")));
        Assert.False(table.Contains(IPAddress.Parse("2001:db8:0:2::")));
        Assert.Equal((2 * 8) + 32, table.MemoryBytes);
    }

    [Theory]
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("0.0.0.0/0", "::1", false)]
    [InlineData("255.255.255.255", "255.255.255.255", true)]
    [InlineData("255.255.255.255", "255.255.255.254", false)]
    [InlineData("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("192.0.2.0/24", "::ffff:192.0.2.7", true)]
    public void Contains_Boundaries(string network, string address, bool expected)
    {
        Assert.Equal(expected, Table(network).Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Contains_RandomNetworks_AgreesWithIpNetworkSet()
    {
        var random = new Random(4);
        var networks = Enumerable.Range(0, 2000)
            .Select(_ =>
            {
                var length = random.Next(16, 33);
                var value = (uint)random.Next() << 1;
                var mask = uint.MaxValue << (32 - length);
                var prefix = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value & mask);
                return IpNetwork.Parse($"{new IPAddress(BitConverter.GetBytes(prefix))}/{length}");
            })
            .ToList();
        var builder = new IpRangeTable.Builder();
        networks.ForEach(builder.Add);
        var table = builder.Build();
        var set = new IpNetworkSet(networks);

        for (var i = 0; i < 20_000; i++)
        {
            var address = new IPAddress(BitConverter.GetBytes(random.Next()));
            Assert.Equal(set.Contains(address), table.Contains(address));
        }
    }

    private static IpRangeTable Table(params string[] networks)
    {
        var builder = new IpRangeTable.Builder();
        foreach (var network in networks)
        {
            builder.Add(IpNetwork.Parse(network));
        }

        return builder.Build();
    }
}
