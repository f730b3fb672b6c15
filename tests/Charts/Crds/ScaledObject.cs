using k8s;
using k8s.Models;

namespace Gateway.Charts.Tests.Crds;

/// <summary>keda.sh/v1alpha1 ScaledObject (KEDA's CRD fields).</summary>
public sealed class ScaledObject : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public ScaledObjectSpec Spec { get; set; } = new();
}

public sealed class ScaledObjectSpec
{
    public ScaleTarget ScaleTargetRef { get; set; } = new();

    public int? PollingInterval { get; set; }

    public int? CooldownPeriod { get; set; }

    public int? InitialCooldownPeriod { get; set; }

    public int? IdleReplicaCount { get; set; }

    public int? MinReplicaCount { get; set; }

    public int? MaxReplicaCount { get; set; }

    public ScaledObjectAdvanced? Advanced { get; set; }

    public ScaledObjectFallback? Fallback { get; set; }

    public List<ScaleTrigger> Triggers { get; set; } = [];
}

public sealed class ScaleTarget
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string Name { get; set; } = "";

    public string? EnvSourceContainerName { get; set; }
}

public sealed class ScaledObjectAdvanced
{
    public bool? RestoreToOriginalReplicaCount { get; set; }

    public HorizontalPodAutoscalerConfig? HorizontalPodAutoscalerConfig { get; set; }
}

public sealed class HorizontalPodAutoscalerConfig
{
    public string? Name { get; set; }

    public V2HorizontalPodAutoscalerBehavior? Behavior { get; set; }
}

public sealed class ScaledObjectFallback
{
    public int FailureThreshold { get; set; }

    public int Replicas { get; set; }
}

public sealed class ScaleTrigger
{
    public string Type { get; set; } = "";

    public string? Name { get; set; }

    public bool? UseCachedMetrics { get; set; }

    public string? MetricType { get; set; }

    public Dictionary<string, string> Metadata { get; set; } = [];

    public AuthenticationRef? AuthenticationRef { get; set; }
}

public sealed class AuthenticationRef
{
    public string Name { get; set; } = "";

    public string? Kind { get; set; }
}
