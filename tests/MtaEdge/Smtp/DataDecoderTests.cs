using System.Text;
using Gateway.MtaEdge.Smtp.Protocol;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>The DATA decoder on its own: the same answer wherever the input is split into reads.</summary>
public sealed class DataDecoderTests
{
    public static IEnumerable<object[]> Inputs() => new[]
    {
        new object[] { "a\r\n.\r\nNEXT", "a\r\n", false, "NEXT" },
        new object[] { "a\r\n..b\r\n.\r\n", "a\r\n.b\r\n", false, "" },
        new object[] { "a\n.\nb\r\n.\r\nX", "", true, "X" },
        new object[] { "a\r.\r\nb\r\n.\r\n", "", true, "" },
        new object[] { "a\r\n.\nb\r\n.\r\n", "", true, "" },
        new object[] { "a\r\n.\r\rb\r\n.\r\n", "", true, "" },
        new object[] { ".\r\n", "", false, "" },
        new object[] { "a\0b\r\n\0\r\n.\r\n", "a\0b\r\n\0\r\n", false, "" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Feed_SplitAtEveryPosition_SameResult(string input, string content, bool bare, string rest)
    {
        var bytes = Encoding.Latin1.GetBytes(input);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var decoder = new DataDecoder(1024 * 1024, 1000);
            var used = decoder.Feed(bytes.AsSpan(0, split), out var done);
            if (!done)
            {
                used += decoder.Feed(bytes.AsSpan(split), out done);
            }

            Assert.True(done, $"split {split}: end of data not found");
            Assert.Equal(rest, Encoding.Latin1.GetString(bytes.AsSpan(used)));
            Assert.Equal(bare, decoder.HasBareLineEnd);
            Assert.Equal(content, Encoding.Latin1.GetString(decoder.Content.Span));
        }
    }

    [Fact]
    public void Feed_MoreThanTheLimit_KeepsNothingAndStillFindsTheEnd()
    {
        var decoder = new DataDecoder(64 * 1024, 1000);
        var line = Encoding.ASCII.GetBytes(new string('x', 98) + "\r\n");
        for (var i = 0; i < 10_000; i++)
        {
            decoder.Feed(line, out var early);
            Assert.False(early);
        }

        decoder.Feed(".\r\n"u8, out var done);

        Assert.True(done);
        Assert.True(decoder.IsTooLarge);
        Assert.Equal(0, decoder.Content.Length);
        Assert.Equal(1_000_000, decoder.ContentBytes);
    }

    [Fact]
    public void Feed_LineOverLimit_MarksLongLineAndKeepsNothing()
    {
        var decoder = new DataDecoder(1024 * 1024, 1000);
        decoder.Feed(Encoding.ASCII.GetBytes(new string('x', 999) + "\r\nok\r\n.\r\n"), out var done);

        Assert.True(done);
        Assert.True(decoder.HasLongLine);
        Assert.Equal(0, decoder.Content.Length);
    }

    [Fact]
    public void Feed_LineAtLimit_Kept()
    {
        var decoder = new DataDecoder(1024 * 1024, 1000);
        decoder.Feed(Encoding.ASCII.GetBytes(new string('x', 998) + "\r\n.\r\n"), out var done);

        Assert.True(done);
        Assert.False(decoder.HasLongLine);
        Assert.Equal(1000, decoder.Content.Length);
    }
}
