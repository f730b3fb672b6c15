namespace Gateway.Charts.Tests.Rendering;

/// <summary>A named install: value files (relative to the chart), release name and namespace.</summary>
public sealed record ValueSet(string Name, IReadOnlyList<string> Files, string Release = "gw", string Namespace = "mail")
{
    /// <summary>The installs every structural check runs against.</summary>
    public static readonly IReadOnlyList<ValueSet> All =
    [
        new("minimal", ["ci/minimal-values.yaml"]),
        new("dev", ["ci/dev-values.yaml"], Release: "gateway", Namespace: "default"),
        new("full", ["ci/full-values.yaml"]),
        new("edge-only", ["ci/minimal-values.yaml", "ci/edge-only-values.yaml"], Release: "mx"),
    ];

    public static ValueSet Named(string name) => All.Single(v => v.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var set in All)
        {
            data.Add(set.Name);
        }

        return data;
    }

    public override string ToString() => Name;
}
