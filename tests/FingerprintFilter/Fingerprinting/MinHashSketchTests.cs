using Gateway.FingerprintFilter.Fingerprinting;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Fingerprinting;

public sealed class MinHashSketchTests
{
    private static ulong[] Sketch(IEnumerable<ulong> items, int bins = 64)
    {
        var sketch = new ulong[bins];
        Assert.True(MinHashSketch.Compute(items.Select(i => StableHash.Mix(i)).ToList(), sketch));
        return sketch;
    }

    [Fact]
    public void Compute_NoShingles_ReturnsFalse()
    {
        Assert.False(MinHashSketch.Compute([], new ulong[64]));
    }

    [Fact]
    public void Compute_BinCountNotAPowerOfTwo_Throws()
    {
        Assert.Throws<ArgumentException>(() => MinHashSketch.Compute([1UL], new ulong[48]));
    }

    [Fact]
    public void Compute_OrderOfShingles_DoesNotMatter()
    {
        var items = Enumerable.Range(0, 200).Select(i => (ulong)i).ToList();

        Assert.Equal(Sketch(items), Sketch(items.AsEnumerable().Reverse()));
    }

    [Fact]
    public void Compute_FewShingles_FillsEveryBinFromThem()
    {
        var items = new ulong[] { 1, 2, 3 };
        var sketch = Sketch(items);

        var values = Sketch(items).ToHashSet();
        Assert.InRange(values.Count, 1, 3);
        Assert.DoesNotContain(ulong.MaxValue, sketch);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(0.9)]
    public void Compute_TwoSets_AgreeInAboutTheirJaccardShareOfBins(double jaccard)
    {
        // Two sets of 2,000 with shared / union = jaccard; averaged over seeds the agreement estimates it.
        const int size = 2000;
        var shared = (int)Math.Round(2 * size * jaccard / (1 + jaccard));
        var agreement = 0.0;
        for (var seed = 0; seed < 20; seed++)
        {
            var offset = (ulong)seed * 1_000_000;
            var first = Enumerable.Range(0, size).Select(i => offset + (ulong)i);
            var second = Enumerable.Range(size - shared, size).Select(i => offset + (ulong)i);
            var a = Sketch(first, 256);
            var b = Sketch(second, 256);
            agreement += a.Zip(b).Count(p => p.First == p.Second) / 256.0;
        }

        Assert.InRange(agreement / 20, jaccard - 0.05, jaccard + 0.05);
    }
}
