using System.Text.Json.Nodes;

namespace Gateway.Charts.Tests.Rendering;

/// <summary>One object of a rendered chart: the template it came from and its JSON form.</summary>
public sealed record RenderedManifest(string Source, JsonObject Object)
{
    public string Kind => (string?)Object["kind"] ?? "";

    public string ApiVersion => (string?)Object["apiVersion"] ?? "";

    public string Name => (string?)Object["metadata"]?["name"] ?? "";

    public override string ToString() => $"{Kind}/{Name} ({Source})";
}
