using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Learning;
using Gateway.FingerprintFilter.Store;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Learning;

public sealed class ReporterTrustTests
{
    private static readonly LearningOptions Defaults = new();

    [Theory]
    [InlineData(0, 0, 0.2)]
    [InlineData(1, 0, 2.0 / 6)]
    [InlineData(5, 0, 0.6)]
    [InlineData(100, 0, 0.6)]
    [InlineData(0, 1, 1.0 / 8)]
    [InlineData(5, 1, 6.0 / 13)]
    public void WeightOf_Record_IsSceptical_Capped_AndPunishesDisagreement(long agreed, long disagreed, double weight)
    {
        Assert.Equal(weight, ReporterTrust.WeightOf(new ReporterRecord("r", agreed, disagreed), Defaults), 9);
    }

    [Fact]
    public void WeightOf_NewReporters_NeedFiveToReachTheConvictionWeight()
    {
        var one = ReporterTrust.WeightOf(ReporterRecord.New("r"), Defaults);

        Assert.True(4 * one < Defaults.ConvictionWeight);
        Assert.True(5 * one >= Defaults.ConvictionWeight - 1e-9);
    }
}
