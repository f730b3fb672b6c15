using System.Text;
using Gateway.FingerprintFilter.Normalization;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Normalization;

public sealed class LineEndingCanonicalStreamTests
{
    private static string Canonical(string input, int chunk)
    {
        using var output = new MemoryStream();
        var canonical = new LineEndingCanonicalStream(output);
        var bytes = Encoding.ASCII.GetBytes(input);
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            canonical.Write(bytes, i, Math.Min(chunk, bytes.Length - i));
        }

        canonical.Complete();
        return Encoding.ASCII.GetString(output.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public void Write_CrlfLfAndTrailingBreaks_CanonicaliseAlike(int chunk)
    {
        Assert.Equal("a\nb\n\nc", Canonical("a\r\nb\r\n\r\nc\r\n", chunk));
        Assert.Equal("a\nb\n\nc", Canonical("a\nb\n\nc\n\n", chunk));
        Assert.Equal("a\nb\n\nc", Canonical("a\nb\r\n\nc", chunk));
    }

    [Fact]
    public void Write_BareCarriageReturn_IsKeptAsData()
    {
        Assert.Equal("a\rb\r", Canonical("a\rb\r", 1));
    }
}
