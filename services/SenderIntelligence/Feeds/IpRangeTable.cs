using System.Net;
using System.Net.Sockets;
using Gateway.SenderIntelligence.Networks;

namespace Gateway.SenderIntelligence.Feeds;

/// <summary>
/// A large set of addresses and networks as sorted, merged ranges: a lookup is a binary search (about 20 steps at a
/// million ranges), and memory is 8 bytes per IPv4 range and 32 per IPv6 range, whatever the prefix lengths.
/// Build it with <see cref="Builder"/>; the table itself is immutable and safe to share.
/// </summary>
public sealed class IpRangeTable
{
    private readonly uint[] _v4Starts;
    private readonly uint[] _v4Ends;
    private readonly UInt128[] _v6Starts;
    private readonly UInt128[] _v6Ends;

    private IpRangeTable(uint[] v4Starts, uint[] v4Ends, UInt128[] v6Starts, UInt128[] v6Ends)
    {
        _v4Starts = v4Starts;
        _v4Ends = v4Ends;
        _v6Starts = v6Starts;
        _v6Ends = v6Ends;
    }

    public static IpRangeTable Empty { get; } = new([], [], [], []);

    /// <summary>Ranges after merging overlapping and adjacent entries.</summary>
    public int RangeCount => _v4Starts.Length + _v6Starts.Length;

    /// <summary>Approximate memory held by the table.</summary>
    public long MemoryBytes => (_v4Starts.Length * 8L) + (_v6Starts.Length * 32L);

    public bool Contains(IPAddress address)
    {
        address = IpAddressParser.Normalize(address);
        var value = IpNetwork.ToInteger(address);
        return address.AddressFamily == AddressFamily.InterNetwork
            ? Contains(_v4Starts, _v4Ends, (uint)value)
            : Contains(_v6Starts, _v6Ends, value);
    }

    private static bool Contains<T>(T[] starts, T[] ends, T value)
        where T : IComparable<T>
    {
        // The last range starting at or before the value is the only one that can hold it (ranges are disjoint).
        int lo = 0, hi = starts.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (starts[mid].CompareTo(value) <= 0)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && value.CompareTo(ends[found]) <= 0;
    }

    /// <summary>Collects networks, then sorts and merges them into a table.</summary>
    public sealed class Builder
    {
        private readonly List<(uint Start, uint End)> _v4 = new();
        private readonly List<(UInt128 Start, UInt128 End)> _v6 = new();

        public int Count => _v4.Count + _v6.Count;

        public void Add(AddressFamily family, UInt128 prefix, int prefixLength)
        {
            // Shift counts are taken modulo the width (x >> 32 is x for a uint), so full-length prefixes are
            // single addresses written out rather than shifted.
            if (family == AddressFamily.InterNetwork)
            {
                var start = (uint)prefix;
                var end = prefixLength >= 32 ? start : start | (uint.MaxValue >> prefixLength);
                _v4.Add((start, end));
            }
            else
            {
                var end = prefixLength >= 128 ? prefix : prefix | (UInt128.MaxValue >> prefixLength);
                _v6.Add((prefix, end));
            }
        }

        public void Add(IpNetwork network) => Add(network.Family, network.Prefix, network.PrefixLength);

        public IpRangeTable Build()
        {
            var (v4Starts, v4Ends) = Merge(_v4, 1u);
            var (v6Starts, v6Ends) = Merge(_v6, UInt128.One);
            return new IpRangeTable(v4Starts, v4Ends, v6Starts, v6Ends);
        }

        private static (T[] Starts, T[] Ends) Merge<T>(List<(T Start, T End)> ranges, T one)
            where T : struct, IComparable<T>, System.Numerics.IAdditionOperators<T, T, T>,
                System.Numerics.IMinMaxValue<T>
        {
            ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
            var starts = new List<T>(ranges.Count);
            var ends = new List<T>(ranges.Count);
            foreach (var (start, end) in ranges)
            {
                var last = ends.Count - 1;
                // Overlapping or adjacent (end + 1 == start, unless end is the maximum) ranges become one.
                if (last >= 0 && (start.CompareTo(ends[last]) <= 0
                    || (ends[last].CompareTo(T.MaxValue) < 0 && start.CompareTo(ends[last] + one) == 0)))
                {
                    if (end.CompareTo(ends[last]) > 0)
                    {
                        ends[last] = end;
                    }

                    continue;
                }

                starts.Add(start);
                ends.Add(end);
            }

            return (starts.ToArray(), ends.ToArray());
        }
    }
}
