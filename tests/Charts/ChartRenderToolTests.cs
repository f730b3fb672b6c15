using Gateway.Charts.Tests.Rendering;

namespace Gateway.Charts.Tests;

/// <summary>
/// tools/chart-render behaves like `helm template` in what the chart relies on, shown on a small probe chart:
/// the Helm built-ins, Helm's number quirks, value merging and --set typing, and its refusals.
/// </summary>
public sealed class ChartRenderToolTests
{
    private static readonly string Chart = Path.Combine(RepositoryPaths.TestsDir, "Fixtures", "probe-chart");

    [Fact]
    public async Task BuiltIns_BehaveAsInHelm()
    {
        var data = await ProbeAsync(sets: ["count=5", "flag=true", "removed=null"]);

        Assert.Equal("1e+06", data["big"]); // values are float64 in Helm too
        Assert.Equal("1000000", data["bigInt"]);
        Assert.Equal("0.25", data["ratio"]);
        Assert.Equal("HELLO WORLD", data["include"]);
        Assert.Equal("rel-world", data["tpl"]);
        Assert.Equal("[]", data["missing"]);
        Assert.Equal("a: one\nb: 2", data["nested"]);
        Assert.Equal("{\"a\":\"one\",\"b\":2}", data["json"]);
        Assert.Equal("int64", data["setType"]);
        Assert.Equal("bool", data["setBool"]);
        Assert.Equal("false", data["removed"]);
        Assert.Equal("hello from a file", data["file"]);
        Assert.Equal("probe 1.2.3 4.5", data["chart"]);
        Assert.Equal("Helm true false 1", data["release"]);
        Assert.Equal("v1.31.0 1 31", data["kube"]);
        Assert.Equal("true false false", data["apis"]);
        Assert.Equal("probe/templates/probe.yaml", data["template"]);
        Assert.Equal("0", data["lookup"]);
        Assert.Equal("true", data["semver"]);
    }

    [Fact]
    public async Task ValueFiles_MergeDeeply_LaterWins_NullDeletes()
    {
        var file = Path.Combine(Path.GetTempPath(), "probe-" + Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(file, "nested:\n  b: 3\nremoved: null\nname: there\n");
        try
        {
            var data = await ProbeAsync(files: [file]);

            Assert.Equal("a: one\nb: 3", data["nested"]);
            Assert.Equal("false", data["removed"]);
            Assert.Equal("rel-there", data["tpl"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Required_Fails_WithTheChartsMessage()
    {
        var error = await Assert.ThrowsAsync<ChartRenderException>(() => ChartRenderer.RenderAsync(
            "probe", [], ["requireIt=true"], release: "rel", chartDir: Chart));

        Assert.Contains("requireMe is required", error.Message);
    }

    [Fact]
    public async Task DuplicateKeys_AreRefused_LikeTheApiServerDoes()
    {
        var error = await Assert.ThrowsAsync<ChartRenderException>(() => ChartRenderer.RenderAsync(
            "probe", [], ["duplicate=true"], release: "rel", chartDir: Chart));

        Assert.Contains("already set", error.Message);
    }

    [Fact]
    public async Task KubeVersionConstraint_IsEnforced_AndEmptyDocumentsDropped()
    {
        var error = await Assert.ThrowsAsync<ChartRenderException>(() => ChartRenderer.RenderAsync(
            "probe", [], release: "rel", kubeVersion: "v1.27.3", chartDir: Chart));
        Assert.Contains("incompatible with Kubernetes v1.27.3", error.Message);

        var result = await ChartRenderer.RenderAsync("probe", [], release: "rel", chartDir: Chart);
        Assert.Single(result.Manifests);
        Assert.Equal("Installed probe as rel.\n", result.Notes);
    }

    private static async Task<Dictionary<string, string>> ProbeAsync(IEnumerable<string>? files = null,
        IEnumerable<string>? sets = null)
    {
        var result = await ChartRenderer.RenderAsync("probe", files ?? [], sets, release: "rel", chartDir: Chart);
        return result.Single("ConfigMap", "rel-probe").Object["data"]!.AsObject()
            .ToDictionary(kv => kv.Key, kv => (string)kv.Value!);
    }
}
