using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Charts.Tests.Rendering;

namespace Gateway.Charts.Tests.Prometheus;

/// <summary>A PromQL expression of the dashboard or the alert rules, with where it comes from.</summary>
public sealed record MonitoringQuery(string Origin, string Expression);

/// <summary>Every query the chart ships: dashboard panels and variables, and the rendered alert rules.</summary>
public static partial class MonitoringQueries
{
    /// <summary>Metrics the queries may read that no gateway service exports, and who provides them.</summary>
    public static readonly IReadOnlyDictionary<string, string> External = new Dictionary<string, string>
    {
        ["up"] = "Prometheus, one series per scrape target",
        ["kafka_consumergroup_lag"] = "a Kafka exporter (the services export no consumer lag)",
    };

    public static JsonObject Dashboard() => JsonNode.Parse(
        File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "dashboards", "gateway-qos.json")))!.AsObject();

    public static IEnumerable<MonitoringQuery> DashboardQueries()
    {
        var dashboard = Dashboard();
        foreach (var panel in dashboard["panels"]!.AsArray())
        {
            foreach (var target in panel!["targets"]?.AsArray() ?? [])
            {
                yield return new MonitoringQuery($"panel \"{panel["title"]}\"", Grafana((string)target!["expr"]!));
            }
        }

        foreach (var variable in dashboard["templating"]!["list"]!.AsArray())
        {
            if ((string?)variable!["type"] == "query")
            {
                var query = (string)variable["query"]!["query"]!;
                var labelValues = LabelValues().Match(query);
                yield return new MonitoringQuery($"variable ${variable["name"]}",
                    labelValues.Success ? labelValues.Groups[1].Value : query);
            }
        }
    }

    public static async Task<IReadOnlyList<MonitoringQuery>> RuleQueriesAsync(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);
        var rule = result.OfKind("PrometheusRule").Single();
        return rule.Object["spec"]!["groups"]!.AsArray()
            .SelectMany(g => g!["rules"]!.AsArray())
            .Select(r => new MonitoringQuery($"rule {(string?)r!["alert"] ?? (string?)r["record"]}", (string)r["expr"]!))
            .ToList();
    }

    /// <summary>The rule groups of the rendered PrometheusRule, as a Prometheus rules file (JSON is YAML).</summary>
    public static async Task<string> RulesFileAsync(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);
        var rule = result.OfKind("PrometheusRule").Single();
        return new JsonObject { ["groups"] = rule.Object["spec"]!["groups"]!.DeepClone() }.ToJsonString();
    }

    /// <summary>Replaces Grafana's variables with what they stand for in a plain query.</summary>
    public static string Grafana(string expression) => expression
        .Replace("$__rate_interval", "5m", StringComparison.Ordinal)
        .Replace("$__interval", "1m", StringComparison.Ordinal)
        .Replace("$namespace", ".*", StringComparison.Ordinal)
        .Replace("$consumergroup", ".*", StringComparison.Ordinal);

    [GeneratedRegex(@"^label_values\(\s*(.+?)\s*,\s*\w+\s*\)$")]
    private static partial Regex LabelValues();
}
