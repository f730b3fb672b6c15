using Gateway.MtaEdge.Queue;
using Xunit;

namespace Gateway.MtaEdge.Tests.Queue;

public sealed class QueueIdGeneratorTests
{
    [Fact]
    public void Next_ManyInOneBurst_AreUniqueAndStrictlyIncreasing()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => QueueIdGenerator.Next()).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        for (var i = 1; i < ids.Count; i++)
        {
            Assert.True(string.CompareOrdinal(ids[i - 1], ids[i]) < 0, $"{ids[i - 1]} !< {ids[i]}");
        }
    }

    [Fact]
    public void Next_LaterTime_SortsAfterEarlierTime()
    {
        var early = QueueIdGenerator.Next(DateTimeOffset.UtcNow.AddDays(1));
        var late = QueueIdGenerator.Next(DateTimeOffset.UtcNow.AddDays(2));

        Assert.True(string.CompareOrdinal(early, late) < 0);
    }

    [Fact]
    public void Next_ClockStepsBack_StillIncreases()
    {
        var ahead = QueueIdGenerator.Next(DateTimeOffset.UtcNow.AddDays(3));
        var behind = QueueIdGenerator.Next(DateTimeOffset.UtcNow);

        Assert.True(string.CompareOrdinal(ahead, behind) < 0);
    }

    [Fact]
    public void Next_IsFileNameSafeUpperCaseBase32()
    {
        var id = QueueIdGenerator.Next();

        Assert.Equal(QueueIdGenerator.Length, id.Length);
        Assert.All(id, c => Assert.True(char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c), $"'{c}'"));
        Assert.DoesNotContain('I', id);
        Assert.DoesNotContain('O', id);
        Assert.True(QueueIdGenerator.IsValid(id));
        Assert.False(QueueIdGenerator.IsValid(id.ToLowerInvariant() + "/"));
    }
}
