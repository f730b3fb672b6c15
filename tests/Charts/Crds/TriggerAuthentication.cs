using k8s;
using k8s.Models;

namespace Gateway.Charts.Tests.Crds;

/// <summary>keda.sh/v1alpha1 TriggerAuthentication (the secret and environment references).</summary>
public sealed class TriggerAuthentication : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public TriggerAuthenticationSpec Spec { get; set; } = new();
}

public sealed class TriggerAuthenticationSpec
{
    public List<SecretTargetRef>? SecretTargetRef { get; set; }

    public List<EnvTargetRef>? Env { get; set; }
}

public sealed class SecretTargetRef
{
    public string Parameter { get; set; } = "";

    public string Name { get; set; } = "";

    public string Key { get; set; } = "";
}

public sealed class EnvTargetRef
{
    public string Parameter { get; set; } = "";

    public string Name { get; set; } = "";

    public string? ContainerName { get; set; }
}
