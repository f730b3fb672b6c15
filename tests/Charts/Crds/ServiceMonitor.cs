using k8s;
using k8s.Models;

namespace Gateway.Charts.Tests.Crds;

/// <summary>
/// monitoring.coreos.com/v1 ServiceMonitor, with the fields of the Prometheus operator's CRD that a chart
/// sets (field names as in its OpenAPI schema), so strict loading refuses misspelt or misplaced keys.
/// </summary>
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public ServiceMonitorSpec Spec { get; set; } = new();
}

public sealed class ServiceMonitorSpec
{
    public string? JobLabel { get; set; }

    public List<string>? TargetLabels { get; set; }

    public List<string>? PodTargetLabels { get; set; }

    public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];

    public V1LabelSelector Selector { get; set; } = new();

    public NamespaceSelector? NamespaceSelector { get; set; }

    public long? SampleLimit { get; set; }
}

public sealed class NamespaceSelector
{
    public bool? Any { get; set; }

    public List<string>? MatchNames { get; set; }
}

public sealed class ServiceMonitorEndpoint
{
    public string? Port { get; set; }

    public IntOrString? TargetPort { get; set; }

    public string? Path { get; set; }

    public string? Scheme { get; set; }

    public string? Interval { get; set; }

    public string? ScrapeTimeout { get; set; }

    public bool? HonorLabels { get; set; }

    public bool? HonorTimestamps { get; set; }

    public List<RelabelConfig>? Relabelings { get; set; }

    public List<RelabelConfig>? MetricRelabelings { get; set; }
}

public sealed class RelabelConfig
{
    public List<string>? SourceLabels { get; set; }

    public string? Separator { get; set; }

    public string? TargetLabel { get; set; }

    public string? Regex { get; set; }

    public long? Modulus { get; set; }

    public string? Replacement { get; set; }

    public string? Action { get; set; }
}
