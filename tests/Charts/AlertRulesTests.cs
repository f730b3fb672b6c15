using System.Text.Json.Nodes;
using Gateway.Charts.Tests.Prometheus;
using Gateway.Charts.Tests.Rendering;
using YamlDotNet.RepresentationModel;

namespace Gateway.Charts.Tests;

/// <summary>
/// The rendered alert rules pass `promtool check rules` and the unit tests in Rules/gateway-alerts.test.yaml
/// (`promtool test rules`), which cover every alert; the dashboard's queries pass promtool's parser too.
/// </summary>
public sealed class AlertRulesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-rules-" + Guid.NewGuid().ToString("N"));

    public AlertRulesTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("full")]
    [InlineData("edge-only")]
    public async Task RenderedRules_PassPromtoolCheck(string valueSet)
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "rules.json"), await MonitoringQueries.RulesFileAsync(valueSet));

        var run = await Promtool.RunAsync(_dir, "check", "rules", "rules.json");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("SUCCESS", run.Output);
    }

    [Fact]
    public async Task RenderedRules_PassTheirUnitTests()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "rules.json"), await MonitoringQueries.RulesFileAsync("full"));
        File.Copy(Path.Combine(RepositoryPaths.TestsDir, "Rules", "gateway-alerts.test.yaml"),
            Path.Combine(_dir, "gateway-alerts.test.yaml"));

        var run = await Promtool.RunAsync(_dir, "test", "rules", "gateway-alerts.test.yaml");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("SUCCESS", run.Output);
    }

    [Fact]
    public async Task UnitTests_CoverEveryAlert_BothFiringAndQuiet()
    {
        var rules = JsonNode.Parse(await MonitoringQueries.RulesFileAsync("full"))!["groups"]!.AsArray()
            .SelectMany(g => g!["rules"]!.AsArray()).Select(r => (string?)r!["alert"]).OfType<string>().ToHashSet();
        var yaml = new YamlStream();
        yaml.Load(new StringReader(await File.ReadAllTextAsync(
            Path.Combine(RepositoryPaths.TestsDir, "Rules", "gateway-alerts.test.yaml"))));
        var checks = ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["tests"]).Children
            .SelectMany(t => ((YamlSequenceNode)((YamlMappingNode)t)["alert_rule_test"]).Children.Cast<YamlMappingNode>())
            .Select(c => (Alert: ((YamlScalarNode)c["alertname"]).Value!,
                Fires: c.Children.TryGetValue("exp_alerts", out var exp) && ((YamlSequenceNode)exp).Children.Count > 0))
            .ToList();

        Assert.Equal([], rules.Where(a => !checks.Any(c => c.Alert == a && c.Fires)).Order());
        Assert.Equal([], rules.Where(a => !checks.Any(c => c.Alert == a && !c.Fires)).Order());
        Assert.Empty(checks.Select(c => c.Alert).Where(a => !rules.Contains(a)));
    }

    [Fact]
    public async Task DashboardQueries_ParseWithPromtool()
    {
        var rules = new JsonArray();
        var n = 0;
        foreach (var query in MonitoringQueries.DashboardQueries())
        {
            rules.Add(new JsonObject { ["record"] = $"dashboard:query_{n++}", ["expr"] = query.Expression });
        }

        var file = new JsonObject { ["groups"] = new JsonArray(new JsonObject { ["name"] = "dashboard", ["rules"] = rules }) };
        await File.WriteAllTextAsync(Path.Combine(_dir, "dashboard.json"), file.ToJsonString());

        var run = await Promtool.RunAsync(_dir, "check", "rules", "dashboard.json");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.True(n >= 20, $"only {n} dashboard queries found");
    }
}
