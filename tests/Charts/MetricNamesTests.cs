using Gateway.Charts.Tests.Prometheus;
using Xunit.Abstractions;

namespace Gateway.Charts.Tests;

/// <summary>
/// Every metric the dashboard and the alerts read is one the services really export: the standalone gateway
/// runs in this process with mail driven through every tier, and its /metrics is the reference. Label
/// names matched in selectors must appear on that metric's samples too. The cluster-mode hosts serve the
/// same metric families (they are the same tier libraries), so they are covered through the standalone.
/// </summary>
public sealed class MetricNamesTests(StandaloneMetrics metrics, ITestOutputHelper output)
    : IClassFixture<StandaloneMetrics>
{
    public static TheoryData<string> Sources() => new() { "dashboard", "rules:full", "rules:edge-only" };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Queries_ReadOnlyMetricsTheServicesExport(string source)
    {
        var queries = await QueriesAsync(source);
        var problems = new List<string>();

        foreach (var query in queries)
        {
            var selectors = PromQlSelectors.Extract(query.Expression);
            Assert.True(selectors.Count > 0, $"{query.Origin}: no metric found in {query.Expression}");
            foreach (var selector in selectors)
            {
                if (MonitoringQueries.External.ContainsKey(selector.Metric))
                {
                    continue;
                }

                if (!metrics.Exposition.Has(selector.Metric))
                {
                    problems.Add($"{query.Origin}: {selector.Metric} is not exported");
                    continue;
                }

                var seen = metrics.Exposition.LabelsOf(selector.Metric);
                if (seen.Count == 0)
                {
                    continue; // no samples yet: the family is known but its labels are not
                }

                // namespace, job, pod and component are target labels Prometheus and the ServiceMonitor add.
                foreach (var label in selector.LabelNames.Except(["namespace", "job", "pod", "component", "instance"]))
                {
                    if (!seen.Contains(label))
                    {
                        problems.Add($"{query.Origin}: {selector.Metric} has no label {label} (has {string.Join(", ", seen)})");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Standalone_ExportsTheMetricFamiliesTheMonitoringIsBuiltOn()
    {
        output.WriteLine(string.Join("\n", metrics.Exposition.SampleNames.Where(n => n.StartsWith("gateway_", StringComparison.Ordinal)).Order()));

        // The traffic of the fixture reached every tier: delivery, scanning, a refusal and remediation.
        Assert.Contains("gateway_delivery_attempts_total{result=\"delivered\"}", metrics.Text);
        Assert.Contains("gateway_fingerprint_scans_total{verdict=", metrics.Text);
        Assert.Contains("gateway_smtp_messages_total{result=\"refused\"", metrics.Text);
        Assert.Contains("gateway_remediation_actions_total{", metrics.Text);
    }

    private static async Task<IReadOnlyList<MonitoringQuery>> QueriesAsync(string source) => source switch
    {
        "dashboard" => MonitoringQueries.DashboardQueries().ToList(),
        _ => await MonitoringQueries.RuleQueriesAsync(source["rules:".Length..]),
    };
}
