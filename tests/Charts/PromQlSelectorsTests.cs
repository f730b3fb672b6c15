using Gateway.Charts.Tests.Prometheus;

namespace Gateway.Charts.Tests;

/// <summary>The metric-name scanner the metric checks rely on.</summary>
public sealed class PromQlSelectorsTests
{
    [Fact]
    public void Extract_SkipsFunctionsAggregationsLabelListsAndDurations()
    {
        var found = PromQlSelectors.Extract(
            "histogram_quantile(0.99, sum by (le, pod) (rate(gateway_x_bucket{namespace=~\"a|b\", result=\"by\"}[5m])))"
            + " / on (pod) group_left (node) max without (instance) (up offset 1h) > 1e+06 and bool vector(1)");

        Assert.Equal(["gateway_x_bucket", "up"], found.Select(s => s.Metric));
        Assert.Equal(["namespace", "result"], found[0].LabelNames);
        Assert.Empty(found[1].LabelNames);
    }

    [Fact]
    public void Extract_KeepsColonsAndIgnoresNamesInsideStrings()
    {
        var found = PromQlSelectors.Extract("absent(job:requests:rate5m{job=\"not_a_metric{x}\"} == 1)");

        Assert.Equal(["job:requests:rate5m"], found.Select(s => s.Metric));
        Assert.Equal(["job"], found[0].LabelNames);
    }

    [Fact]
    public void Exposition_ListsHistogramSeriesAndSampleLabels()
    {
        var exposition = Exposition.Parse(
            "# HELP h Help.\n# TYPE h histogram\nh_bucket{le=\"1\"} 0\n# TYPE c counter\nc{result=\"a\",reason=\"b,c\"} 1\n");

        Assert.True(exposition.Has("h_bucket") && exposition.Has("h_sum") && exposition.Has("h_count"));
        Assert.Equal(["reason", "result"], exposition.LabelsOf("c").Order());
    }
}
