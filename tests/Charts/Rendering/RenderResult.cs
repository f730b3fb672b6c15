using System.Text.Json.Nodes;

namespace Gateway.Charts.Tests.Rendering;

/// <summary>What chart-render produced for one value set.</summary>
public sealed class RenderResult
{
    public required string ValueSet { get; init; }

    /// <summary>The manifests as `helm template` prints them (multi-document YAML).</summary>
    public required string Yaml { get; init; }

    /// <summary>Every object, converted to JSON the way the API machinery converts YAML.</summary>
    public required IReadOnlyList<RenderedManifest> Manifests { get; init; }

    /// <summary>The merged values (chart defaults with the value files over them).</summary>
    public required JsonObject Values { get; init; }

    public required string Notes { get; init; }

    public IEnumerable<RenderedManifest> OfKind(string kind) => Manifests.Where(m => m.Kind == kind);

    public RenderedManifest Single(string kind, string name) =>
        Manifests.SingleOrDefault(m => m.Kind == kind && m.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{ValueSet}: no {kind}/{name}; have "
            + string.Join(", ", Manifests.Select(m => $"{m.Kind}/{m.Name}")));

    public override string ToString() => ValueSet;
}
