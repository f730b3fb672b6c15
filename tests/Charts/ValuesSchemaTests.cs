using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Charts.Tests.Rendering;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace Gateway.Charts.Tests;

/// <summary>
/// values.schema.json against the chart's own values and the value sets, as Helm applies it (to the merged
/// values), plus values it must refuse. JsonSchema.Net evaluates draft-07, the dialect Helm 3 supports.
/// </summary>
public sealed class ValuesSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "values.schema.json"))));

    [Fact]
    public async Task ChartDefaults_SatisfyTheSchema()
    {
        AssertValid("defaults", await ChartRenderer.MergedValuesAsync([]));
    }

    [Theory]
    [MemberData(nameof(ValueSet.Names), MemberType = typeof(ValueSet))]
    public async Task ValueSets_SatisfyTheSchema(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);

        AssertValid(valueSet, result.Values);
    }

    [Theory]
    [InlineData("mtaEdge.replicaCont=3", "replicaCont")]
    [InlineData("mtaEdge.replicaCount=three", "replicaCount")]
    [InlineData("mtaEdge.image.digest=latest", "digest")]
    [InlineData("kafka.securityProtocol=TLS", "securityProtocol")]
    [InlineData("mtaEdge.ports.smtp=25", "smtp")]
    [InlineData("mtaEdge.delivery.target=maildir:/var/mail", "target")]
    [InlineData("retroRemediation.imap.security=Tls", "security")]
    [InlineData("metrics.prometheusRule.thresholds.smtpTempfailRatio=2", "smtpTempfailRatio")]
    [InlineData(@"kafka.topics.mail\.queued.partitions=0", "partitions")]
    [InlineData("fingerprintFilter.grpc.deadline=30s", "deadline")]
    [InlineData("global.logLevel=Verbose", "logLevel")]
    public async Task BadValues_AreRefused(string assignment, string where)
    {
        var values = await ChartRenderer.MergedValuesAsync(["ci/minimal-values.yaml"], [assignment]);

        var results = Evaluate(values);

        Assert.False(results.IsValid, $"{assignment} should be refused");
        Assert.Contains(Errors(results), e => e.Contains(where, StringComparison.Ordinal));
    }

    [Fact]
    public void Readme_DescribesEveryValue()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "README.md"));
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "values.yaml"))));

        var missing = ValuePaths((YamlMappingNode)yaml.Documents[0].RootNode, "")
            .Where(path => !readme.Contains($"`{path}`", StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, "README.md does not list: " + string.Join(", ", missing));
    }

    /// <summary>Dotted paths of every value: leaves, and maps or lists that hold free-form content.</summary>
    private static IEnumerable<string> ValuePaths(YamlMappingNode node, string prefix)
    {
        foreach (var (key, value) in node.Children)
        {
            var path = prefix + ((YamlScalarNode)key).Value;
            if (value is YamlMappingNode map && map.Children.Count > 0 && !IsFreeForm(path))
            {
                foreach (var child in ValuePaths(map, path + "."))
                {
                    yield return child;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    // Maps whose keys are the operator's (resources, label sets, topic and group names, behaviours).
    private static bool IsFreeForm(string path) =>
        path.EndsWith(".resources", StringComparison.Ordinal) || path.EndsWith("SecurityContext", StringComparison.Ordinal)
        || path.EndsWith("securityContext", StringComparison.Ordinal) || path.EndsWith(".behavior", StringComparison.Ordinal)
        || path.EndsWith(".labels", StringComparison.Ordinal) || path is "kafka.topics" or "kafka.consumerGroups" or "kafka.client";

    private static void AssertValid(string name, JsonObject values)
    {
        var results = Evaluate(values);
        Assert.True(results.IsValid, $"{name}: " + string.Join("\n", Errors(results)));
    }

    private static EvaluationResults Evaluate(JsonObject values)
    {
        using var document = JsonDocument.Parse(values.ToJsonString());
        return Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static IEnumerable<string> Errors(EvaluationResults results) =>
        (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"));
}
