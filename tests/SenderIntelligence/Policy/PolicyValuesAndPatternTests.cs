using Gateway.SenderIntelligence.Policy;
using Gateway.V1;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Policy;

public sealed class PolicyValuesAndPatternTests
{
    [Theory]
    [InlineData("*.example.com", "a.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "badexample.com", false)]
    [InlineData("example.com", "EXAMPLE.com.", true)]
    [InlineData("mx?.example.com", "mx1.example.com", true)]
    [InlineData("mx?.example.com", "mx10.example.com", false)]
    [InlineData("*", "anything", true)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    public void WildcardPattern_Names_MatchCaseInsensitively(string pattern, string value, bool expected)
    {
        Assert.Equal(expected, new WildcardPattern(pattern).IsMatch(value));
    }

    [Fact]
    public void WildcardPattern_ManyStars_LinearNotExponential()
    {
        var pattern = new WildcardPattern(string.Concat(Enumerable.Repeat("*a", 30)) + "b");
        var started = System.Diagnostics.Stopwatch.StartNew();

        Assert.False(pattern.IsMatch(new string('a', 200)));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("100", 100)]
    [InlineData("512KB", 512L * 1024)]
    [InlineData("50MB", 50L * 1024 * 1024)]
    [InlineData("2gb", 2L * 1024 * 1024 * 1024)]
    [InlineData("1GiB", 1024L * 1024 * 1024)]
    [InlineData("unlimited", SenderLimits.Unlimited)]
    public void TrySize_Units_1024Based(string text, long expected)
    {
        Assert.True(PolicyValues.TrySize(text, out var value, out var error), error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30", 30_000)]
    [InlineData("1.5s", 1500)]
    [InlineData("10m", 600_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("7d", 604_800_000)]
    public void TryDuration_Units(string text, long milliseconds)
    {
        Assert.True(PolicyValues.TryDuration(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Fact]
    public void Ramp_ProgressOverTime_NeverPassesTheCeiling()
    {
        var from = SenderPolicy.DefaultTiers[SenderTier.Probation];
        var ceiling = SenderPolicy.DefaultTiers[SenderTier.Standard];

        var steps = Enumerable.Range(-5, 40).Select(i => SenderLimits.Ramp(from, ceiling, i / 20.0)).ToList();

        Assert.Equal(from.MessagesPerHour, steps[0].MessagesPerHour);
        Assert.All(steps, s =>
        {
            Assert.InRange(s.MessagesPerHour, from.MessagesPerHour, ceiling.MessagesPerHour);
            Assert.InRange(s.ConcurrentConnections, from.ConcurrentConnections, ceiling.ConcurrentConnections);
            Assert.InRange(s.BytesPerHour, from.BytesPerHour, ceiling.BytesPerHour);
            Assert.InRange(s.TarpitDelay, ceiling.TarpitDelay, from.TarpitDelay);
        });
        Assert.Equal(ceiling, steps[^1]);
        Assert.Equal(steps.Select(s => s.MessagesPerHour).OrderBy(v => v), steps.Select(s => s.MessagesPerHour));
    }

    [Fact]
    public void Ramp_ToUnlimited_StaysAtThePreviousValueUntilDone()
    {
        var from = new SenderLimits { MessagesPerHour = 100 };
        var ceiling = new SenderLimits { MessagesPerHour = SenderLimits.Unlimited };

        Assert.Equal(100, SenderLimits.Ramp(from, ceiling, 0.99).MessagesPerHour);
        Assert.Equal(SenderLimits.Unlimited, SenderLimits.Ramp(from, ceiling, 1).MessagesPerHour);
    }
}
