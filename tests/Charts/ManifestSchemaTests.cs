using Gateway.Charts.Tests.Crds;
using Gateway.Charts.Tests.Rendering;
using k8s;
using k8s.Models;

namespace Gateway.Charts.Tests;

/// <summary>
/// Every rendered object, for every value set, loads into the Kubernetes client's models with strict
/// schemas: once from the YAML as `helm template` prints it (KubernetesYaml, strict), once from the JSON
/// the API server would receive (unknown fields and wrong JSON types refused).
/// </summary>
public sealed class ManifestSchemaTests
{
    [Theory]
    [MemberData(nameof(ValueSet.Names), MemberType = typeof(ValueSet))]
    public async Task RenderedYaml_LoadsWithStrictKubernetesSchema(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);

        var objects = KubernetesYaml.LoadAllFromString(result.Yaml, CrdTypes.Map.ToDictionary(), strict: true);

        Assert.Equal(result.Manifests.Count, objects.Count);
        for (var i = 0; i < objects.Count; i++)
        {
            Assert.IsType(TypedManifests.TypeOf(result.Manifests[i]), objects[i]);
            var meta = ((IMetadata<V1ObjectMeta>)objects[i]).Metadata;
            Assert.False(string.IsNullOrEmpty(meta.Name), $"{result.Manifests[i]} has no name");
        }
    }

    [Theory]
    [MemberData(nameof(ValueSet.Names), MemberType = typeof(ValueSet))]
    public async Task RenderedJson_DecodesWithStrictFieldsAndTypes(string valueSet)
    {
        var result = await ChartRenderer.RenderAsync(valueSet);

        Assert.All(result.Manifests, m => TypedManifests.Load(m));
    }

    [Fact]
    public void StrictLoading_RefusesAnUnknownField()
    {
        const string yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  portz: []\n";

        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(yaml, strict: true));
    }

    [Fact]
    public void StrictJsonDecoding_RefusesANumberWhereAStringBelongs()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labels":{"on":true}}}""")!.AsObject();

        Assert.ThrowsAny<Exception>(() => TypedManifests.Load(new RenderedManifest("test", json)));
    }
}
