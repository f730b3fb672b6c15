using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;

namespace Gateway.Charts.Tests.Crds;

/// <summary>monitoring.coreos.com/v1 PrometheusRule (the Prometheus operator's CRD fields).</summary>
public sealed class PrometheusRule : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public PrometheusRuleSpec Spec { get; set; } = new();
}

public sealed class PrometheusRuleSpec
{
    public List<RuleGroup> Groups { get; set; } = [];
}

public sealed class RuleGroup
{
    public string Name { get; set; } = "";

    public string? Interval { get; set; }

    public long? Limit { get; set; }

    [YamlMember(Alias = "query_offset", ApplyNamingConventions = false)]
    [JsonPropertyName("query_offset")]
    public string? QueryOffset { get; set; }

    public List<Rule> Rules { get; set; } = [];
}

public sealed class Rule
{
    public string? Alert { get; set; }

    public string? Record { get; set; }

    public IntOrString Expr { get; set; } = "";

    public string? For { get; set; }

    [YamlMember(Alias = "keep_firing_for", ApplyNamingConventions = false)]
    [JsonPropertyName("keep_firing_for")]
    public string? KeepFiringFor { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }
}
