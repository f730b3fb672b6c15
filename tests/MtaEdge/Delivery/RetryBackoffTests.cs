using Gateway.MtaEdge.Delivery;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Max = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(500, 60)]
    public void Delay_WithoutJitter_DoublesUpToTheMaximum(int attempts, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), RetryBackoff.Delay(attempts, Initial, Max, random: 0.5));
    }

    [Fact]
    public void Delay_Jitter_StaysWithinTwentyPercentAndUnderTheMaximum()
    {
        Assert.Equal(TimeSpan.FromSeconds(48), RetryBackoff.Delay(1, Initial, Max, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(72), RetryBackoff.Delay(1, Initial, Max, random: 1));
        Assert.Equal(Max, RetryBackoff.Delay(20, Initial, Max, random: 1));
    }
}
