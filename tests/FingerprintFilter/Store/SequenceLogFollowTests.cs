using Gateway.FingerprintFilter.Store;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Store;

/// <summary>How a reader walks a sequence log with gaps (writers between taking a number and writing).</summary>
public sealed class SequenceLogFollowTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 0, 0, 10, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private static SequenceLogEntry Entry(long sequence, double secondsAgo) =>
        new(sequence, Now.AddSeconds(-secondsAgo), ReadOnlyMemory<byte>.Empty);

    [Fact]
    public void Follow_ContiguousEntries_TakesAllAndEndsAtTheLast()
    {
        var page = RedisSequenceLog.Follow([Entry(4, 1), Entry(5, 1), Entry(6, 0)], 3, false, false, Grace, Now);

        Assert.Equal([4L, 5L, 6L], page.Entries.Select(e => e.Sequence));
        Assert.Equal(6, page.Watermark);
        Assert.False(page.More);
    }

    [Fact]
    public void Follow_YoungGap_StopsBeforeItSoTheMissingEntryIsNotSkipped()
    {
        var page = RedisSequenceLog.Follow([Entry(4, 1), Entry(6, 1), Entry(7, 0)], 3, true, false, Grace, Now);

        Assert.Equal([4L], page.Entries.Select(e => e.Sequence));
        Assert.Equal(4, page.Watermark);
        Assert.False(page.More);
    }

    [Fact]
    public void Follow_GapOlderThanTheGrace_IsSkipped()
    {
        var page = RedisSequenceLog.Follow([Entry(4, 9), Entry(6, 8), Entry(7, 0)], 3, false, false, Grace, Now);

        Assert.Equal([4L, 6L, 7L], page.Entries.Select(e => e.Sequence));
        Assert.Equal(7, page.Watermark);
    }

    [Fact]
    public void Follow_FullPage_SaysMore()
    {
        var page = RedisSequenceLog.Follow([Entry(1, 1), Entry(2, 1)], 0, true, false, Grace, Now);

        Assert.True(page.More);
    }

    [Fact]
    public void Follow_Reset_TakesEverythingAndSaysSo()
    {
        var page = RedisSequenceLog.Follow([Entry(90, 0), Entry(91, 0)], 3, false, true, Grace, Now);

        Assert.Equal(91, page.Watermark);
        Assert.True(page.Reset);
    }
}
