using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Charts.Tests.Rendering;

namespace Gateway.Charts.Tests;

/// <summary>
/// Cross-object checks a schema cannot make: selectors that select, named ports that exist, references
/// that resolve, and the security baseline of every pod, for every value set.
/// </summary>
public sealed partial class ManifestConsistencyTests
{
    // The bundled dev Kafka image writes its configuration under /opt/kafka at start.
    private static readonly HashSet<string> WritableRootAllowed = ["kafka"];

    [Theory]
    [MemberData(nameof(ValueSet.Names), MemberType = typeof(ValueSet))]
    public async Task Objects_HaveUniqueNamesAndReleaseLabels(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);
        var set = ValueSet.Named(valueSet);

        var duplicates = result.Manifests.GroupBy(m => (m.Kind, m.Name)).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
        Assert.All(result.Manifests, m =>
        {
            var labels = m.Object["metadata"]!["labels"]!.AsObject();
            Assert.Equal(set.Release, (string?)labels["app.kubernetes.io/instance"]);
            Assert.Equal("Helm", (string?)labels["app.kubernetes.io/managed-by"]);
            Assert.True(m.Name.Length <= 63, $"{m} name is longer than 63 characters");
        });
    }

    [Theory]
    [MemberData(nameof(ValueSet.Names), MemberType = typeof(ValueSet))]
    public async Task Pods_RunNonRootReadOnlyWithoutCapabilitiesAndWithRequests(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);

        foreach (var workload in Workloads.All(result))
        {
            var pod = Workloads.PodSpec(workload);
            Assert.False((bool?)pod["automountServiceAccountToken"] ?? true, $"{workload} mounts an API token");
            foreach (var container in Workloads.Containers(workload))
            {
                var name = (string)container["name"]!;
                var security = container["securityContext"]!.AsObject();
                var runAsNonRoot = (bool?)security["runAsNonRoot"] ?? (bool?)pod["securityContext"]?["runAsNonRoot"];
                Assert.True(runAsNonRoot, $"{workload}/{name} may run as root");
                var user = (long?)security["runAsUser"] ?? (long?)pod["securityContext"]?["runAsUser"];
                Assert.True(user is > 0, $"{workload}/{name} has no numeric non-root user");
                Assert.False((bool?)security["allowPrivilegeEscalation"] ?? true, $"{workload}/{name} may escalate");
                Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => (string?)c));
                Assert.Null(security["capabilities"]!["add"]);
                if (!WritableRootAllowed.Contains(name))
                {
                    Assert.True((bool?)security["readOnlyRootFilesystem"], $"{workload}/{name} root filesystem is writable");
                }

                var requests = container["resources"]?["requests"]?.AsObject();
                Assert.True(requests?["cpu"] is not null && requests["memory"] is not null,
                    $"{workload}/{name} lacks cpu and memory requests");
                Assert.NotNull(container["resources"]?["limits"]?["memory"]);
                var image = (string)container["image"]!;
                Assert.Matches(@"^[^\s:@]+(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$", image.Replace("registry.example.org/", ""));
                Assert.DoesNotContain(":latest", image);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValueSet.Names), MemberType = typeof(ValueSet))]
    public async Task Containers_EnvIsUnique_ReferencesResolve_PortsProbesAndVolumesMatch(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);

        foreach (var workload in Workloads.All(result))
        {
            var pod = Workloads.PodSpec(workload);
            var volumes = (pod["volumes"]?.AsArray() ?? []).Select(v => (string)v!["name"]!).ToList();
            Assert.Equal(volumes.Count, volumes.Distinct().Count());
            var mounted = new HashSet<string>();
            foreach (var container in Workloads.Containers(workload))
            {
                var where = $"{workload}/{container["name"]}";
                var defined = new List<string>();
                foreach (var entry in container["env"]?.AsArray() ?? [])
                {
                    var name = (string)entry!["name"]!;
                    Assert.DoesNotContain(name, defined);
                    foreach (Match reference in EnvReference().Matches((string?)entry["value"] ?? ""))
                    {
                        Assert.True(defined.Contains(reference.Groups[1].Value),
                            $"{where}: {name} refers to $({reference.Groups[1].Value}) before it is defined");
                    }

                    defined.Add(name);
                }

                var ports = (container["ports"]?.AsArray() ?? []).Select(p => (string?)p!["name"]).ToList();
                Assert.Equal(ports.Count, ports.Distinct().Count());
                foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
                {
                    var port = container[probe]?["httpGet"]?["port"] ?? container[probe]?["tcpSocket"]?["port"];
                    if (port is JsonValue value && value.TryGetValue<string>(out var named))
                    {
                        Assert.Contains(named, ports);
                    }

                    if (container[probe]?["grpc"]?["port"] is { } grpcPort)
                    {
                        Assert.Contains((int)grpcPort, (container["ports"]?.AsArray() ?? [])
                            .Select(p => (int)p!["containerPort"]!));
                    }
                }

                foreach (var mount in container["volumeMounts"]?.AsArray() ?? [])
                {
                    Assert.Contains((string)mount!["name"]!, volumes);
                    mounted.Add((string)mount["name"]!);
                }
            }

            Assert.Empty(volumes.Except(mounted));
        }
    }

    [Theory]
    [MemberData(nameof(ValueSet.Names), MemberType = typeof(ValueSet))]
    public async Task Services_SelectPods_AndTargetPortsTheyExpose(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);

        foreach (var service in result.OfKind("Service"))
        {
            var selector = service.Object["spec"]!["selector"]!.AsObject();
            var pods = Workloads.All(result).Where(w => Workloads.Matches(selector, Workloads.PodLabels(w)))
                .Where(w => w.Kind != "Job").ToList();
            var workload = Assert.Single(pods);
            var containerPorts = Workloads.Containers(workload)
                .SelectMany(c => c["ports"]?.AsArray() ?? []).Select(p => (string?)p!["name"]).ToHashSet();
            foreach (var port in service.Object["spec"]!["ports"]!.AsArray())
            {
                Assert.Contains((string?)port!["targetPort"], containerPorts);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValueSet.Names), MemberType = typeof(ValueSet))]
    public async Task ScalersBudgetsAndPolicies_PointAtExistingPods(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);
        var deployments = result.OfKind("Deployment").ToDictionary(d => d.Name);

        var scaled = new List<string>();
        foreach (var scaler in result.OfKind("HorizontalPodAutoscaler").Concat(result.OfKind("ScaledObject")))
        {
            var target = (string)scaler.Object["spec"]!["scaleTargetRef"]!["name"]!;
            Assert.True(deployments.ContainsKey(target), $"{scaler} scales a missing {target}");
            Assert.DoesNotContain(target, scaled);
            scaled.Add(target);
            Assert.Null(deployments[target].Object["spec"]!["replicas"]);
        }

        foreach (var budget in result.OfKind("PodDisruptionBudget"))
        {
            var selector = budget.Object["spec"]!["selector"]!["matchLabels"]!.AsObject();
            Assert.Single(deployments.Values, d => Workloads.Matches(selector, Workloads.PodLabels(d)));
        }

        foreach (var policy in result.OfKind("NetworkPolicy"))
        {
            var selector = policy.Object["spec"]!["podSelector"]!["matchLabels"]!.AsObject();
            var workload = Assert.Single(Workloads.All(result), w => Workloads.Matches(selector, Workloads.PodLabels(w)));
            var ports = Workloads.Containers(workload).SelectMany(c => c["ports"]?.AsArray() ?? [])
                .Select(p => (string?)p!["name"]).ToHashSet();
            foreach (var rule in policy.Object["spec"]!["ingress"]!.AsArray())
            {
                foreach (var port in rule!["ports"]?.AsArray() ?? [])
                {
                    Assert.Contains((string?)port!["port"], ports);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValueSet.Names), MemberType = typeof(ValueSet))]
    public async Task ServiceMonitor_SelectsEveryTierMetricsPortAndNothingPublic(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);
        var monitor = result.OfKind("ServiceMonitor").SingleOrDefault();
        if (monitor is null)
        {
            Assert.False((bool)result.Values["metrics"]!["serviceMonitor"]!["enabled"]!);
            return;
        }

        var selector = monitor.Object["spec"]!["selector"]!["matchLabels"]!.AsObject();
        var port = (string)monitor.Object["spec"]!["endpoints"]![0]!["port"]!;
        var scraped = result.OfKind("Service")
            .Where(s => Workloads.Matches(selector, s.Object["metadata"]!["labels"]!.AsObject()))
            .Where(s => s.Object["spec"]!["ports"]!.AsArray().Any(p => (string?)p!["name"] == port))
            .ToList();
        string[] tiers = ["mta-edge", "sender-intelligence", "fingerprint-filter", "retro-remediation"];
        var tierDeployments = result.OfKind("Deployment")
            .Count(d => tiers.Contains((string?)d.Object["metadata"]!["labels"]!["app.kubernetes.io/component"]));
        Assert.Equal(tierDeployments, scraped.Count);
        Assert.All(scraped, s => Assert.Equal("ClusterIP", (string?)s.Object["spec"]!["type"]));
    }

    [Theory]
    [MemberData(nameof(ValueSet.Names), MemberType = typeof(ValueSet))]
    public async Task Dashboard_IsSidecarLabelledJsonWithADatasourceVariableAndNoInputs(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);
        var map = result.OfKind("ConfigMap").SingleOrDefault(c => c.Name.EndsWith("-dashboards", StringComparison.Ordinal));
        if (map is null)
        {
            Assert.False((bool)result.Values["metrics"]!["dashboards"]!["enabled"]!);
            return;
        }

        Assert.Equal("1", (string?)map.Object["metadata"]!["labels"]!["grafana_dashboard"]);
        var dashboard = JsonNode.Parse((string)map.Object["data"]!["gateway-qos.json"]!)!.AsObject();
        Assert.Null(dashboard["__inputs"]);
        Assert.DoesNotContain("${DS_", dashboard.ToJsonString());
        var variables = dashboard["templating"]!["list"]!.AsArray();
        Assert.Contains(variables, v => (string?)v!["type"] == "datasource" && (string?)v["name"] == "datasource"
            && (string?)v["query"] == "prometheus");
        var panels = dashboard["panels"]!.AsArray().Where(p => (string?)p!["type"] != "row").ToList();
        Assert.NotEmpty(panels);
        Assert.All(panels, p =>
        {
            Assert.Equal("${datasource}", (string?)p!["datasource"]!["uid"]);
            Assert.All(p["targets"]!.AsArray(), t => Assert.Equal("${datasource}", (string?)t!["datasource"]!["uid"]));
        });
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex EnvReference();
}
