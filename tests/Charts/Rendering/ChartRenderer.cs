using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Gateway.Charts.Tests.Rendering;

/// <summary>
/// Builds tools/chart-render once per test run (Go from Debian's packages, offline) and renders the chart
/// with it. Renders of the standard value sets are cached: many checks read the same output.
/// </summary>
public static class ChartRenderer
{
    private static readonly Lazy<Task<string>> Tool = new(BuildToolAsync);
    private static readonly ConcurrentDictionary<string, Lazy<Task<RenderResult>>> Cache = new();

    public static Task<RenderResult> RenderAsync(ValueSet set) =>
        Cache.GetOrAdd(set.Name, _ => new Lazy<Task<RenderResult>>(() => RenderAsync(set.Name, set.Files,
            release: set.Release, ns: set.Namespace))).Value;

    public static Task<RenderResult> RenderAsync(string valueSet) => RenderAsync(ValueSet.Named(valueSet));

    /// <summary>Renders with the given value files (relative to the chart or absolute) and -set assignments.</summary>
    public static async Task<RenderResult> RenderAsync(string name, IEnumerable<string> valueFiles,
        IEnumerable<string>? sets = null, string release = "gw", string ns = "mail", string kubeVersion = "v1.31.0",
        string? chartDir = null)
    {
        var tool = await Tool.Value;
        var outDir = Path.Combine(Path.GetTempPath(), "gw-chart-" + Guid.NewGuid().ToString("N"));
        var chart = chartDir ?? RepositoryPaths.Chart;
        var args = new List<string> { "-chart", chart, "-name", release, "-namespace", ns,
            "-kube-version", kubeVersion, "-out", outDir };
        foreach (var file in valueFiles)
        {
            args.Add("-f");
            args.Add(Path.IsPathRooted(file) ? file : Path.Combine(chart, file));
        }

        foreach (var set in sets ?? [])
        {
            args.Add("-set");
            args.Add(set);
        }

        try
        {
            var run = await ProcessRunner.RunAsync(tool, args, RepositoryPaths.Root);
            if (run.ExitCode != 0)
            {
                throw new ChartRenderException(run.Stderr.Trim());
            }

            var manifests = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "manifests.json")))
                as JsonArray ?? [];
            return new RenderResult
            {
                ValueSet = name,
                Yaml = await File.ReadAllTextAsync(Path.Combine(outDir, "manifests.yaml")),
                Manifests = manifests.Select(m => new RenderedManifest(
                    (string)m!["source"]!, m["object"]!.AsObject())).ToList(),
                Values = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "values.json")))!.AsObject(),
                Notes = await File.ReadAllTextAsync(Path.Combine(outDir, "NOTES.txt")),
            };
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    /// <summary>The merged values (chart defaults, the files, the -set assignments) without rendering.</summary>
    public static async Task<JsonObject> MergedValuesAsync(IEnumerable<string> valueFiles, IEnumerable<string>? sets = null)
    {
        var tool = await Tool.Value;
        var args = new List<string> { "-chart", RepositoryPaths.Chart, "-values-only" };
        foreach (var file in valueFiles)
        {
            args.Add("-f");
            args.Add(Path.IsPathRooted(file) ? file : Path.Combine(RepositoryPaths.Chart, file));
        }

        foreach (var set in sets ?? [])
        {
            args.Add("-set");
            args.Add(set);
        }

        var run = await ProcessRunner.RunAsync(tool, args, RepositoryPaths.Root);
        if (run.ExitCode != 0)
        {
            throw new ChartRenderException(run.Stderr.Trim());
        }

        return JsonNode.Parse(run.Stdout)!.AsObject();
    }

    /// <summary>Renders and expects a refusal; returns chart-render's message.</summary>
    public static async Task<string> RenderFailureAsync(IEnumerable<string> valueFiles, IEnumerable<string>? sets = null,
        string kubeVersion = "v1.31.0")
    {
        var error = await Assert.ThrowsAsync<ChartRenderException>(
            () => RenderAsync("failure", valueFiles, sets, kubeVersion: kubeVersion));
        return error.Message;
    }

    private static async Task<string> BuildToolAsync()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "chart-render", "chart-render");
        var script = Path.Combine(RepositoryPaths.ChartRenderTool, "build.sh");
        var run = await ProcessRunner.RunAsync("/bin/bash", [script, output], RepositoryPaths.Root,
            TimeSpan.FromMinutes(3));
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException(
                "building tools/chart-render failed (tools/test.sh installs golang-go and the sprig packages):\n"
                + run.Output);
        }

        return output;
    }
}
