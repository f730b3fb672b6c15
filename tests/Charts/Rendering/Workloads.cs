using System.Text.Json.Nodes;

namespace Gateway.Charts.Tests.Rendering;

/// <summary>Reads pod specs, containers and environments out of rendered workloads.</summary>
public static class Workloads
{
    public static readonly string[] Kinds = ["Deployment", "StatefulSet", "Job"];

    public static IEnumerable<RenderedManifest> All(RenderResult result) =>
        result.Manifests.Where(m => Kinds.Contains(m.Kind));

    public static JsonObject PodSpec(RenderedManifest workload) =>
        workload.Object["spec"]!["template"]!["spec"]!.AsObject();

    public static JsonObject PodSpec(RenderResult result, string name, string kind = "Deployment") =>
        PodSpec(result.Single(kind, name));

    public static JsonObject PodLabels(RenderedManifest workload) =>
        workload.Object["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();

    public static IEnumerable<JsonObject> Containers(RenderedManifest workload)
    {
        var pod = PodSpec(workload);
        var init = pod["initContainers"]?.AsArray() ?? [];
        return pod["containers"]!.AsArray().Concat(init).Select(c => c!.AsObject());
    }

    public static List<JsonObject> EnvEntries(RenderResult result, string name, string kind = "Deployment") =>
        PodSpec(result, name, kind)["containers"]![0]!["env"]!.AsArray().Select(e => e!.AsObject()).ToList();

    /// <summary>The literal env values of the first container (entries from secrets are left out).</summary>
    public static Dictionary<string, string> Env(RenderResult result, string name, string kind = "Deployment") =>
        EnvEntries(result, name, kind).Where(e => e["value"] is not null)
            .ToDictionary(e => (string)e["name"]!, e => (string)e["value"]!);

    public static int ContainerPort(RenderResult result, string name, string portName) =>
        (int)PodSpec(result, name)["containers"]![0]!["ports"]!.AsArray()
            .Single(p => (string?)p!["name"] == portName)!["containerPort"]!;

    /// <summary>True when every label of the selector is on the pod.</summary>
    public static bool Matches(JsonObject? selector, JsonObject podLabels) =>
        selector is not null && selector.Count > 0
        && selector.All(kv => (string?)podLabels[kv.Key] == (string?)kv.Value);
}
