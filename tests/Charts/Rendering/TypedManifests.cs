using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Gateway.Charts.Tests.Crds;
using k8s;
using k8s.Models;

namespace Gateway.Charts.Tests.Rendering;

/// <summary>
/// Turns rendered JSON objects into the Kubernetes client's model types the way the API server decodes a
/// request with strict field validation: an unknown field, or a value of the wrong JSON type (a number
/// where a string belongs, as an unquoted "true" in a label or env value would be), is an error.
/// </summary>
public static class TypedManifests
{
    private static readonly IReadOnlyDictionary<string, Type> BuiltIn = typeof(KubernetesEntityAttribute).Assembly
        .GetTypes()
        .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(t => t.Entity is not null)
        .ToDictionary(
            t => (string.IsNullOrEmpty(t.Entity!.Group) ? "" : t.Entity.Group + "/") + t.Entity.ApiVersion + "/" + t.Entity.Kind,
            t => t.Type);

    private static readonly JsonSerializerOptions Strict = CreateOptions();

    public static Type TypeOf(RenderedManifest manifest)
    {
        var key = manifest.ApiVersion + "/" + manifest.Kind;
        if (CrdTypes.Map.TryGetValue(key, out var crd))
        {
            return crd;
        }

        return BuiltIn.TryGetValue(key, out var type)
            ? type
            : throw new Xunit.Sdk.XunitException($"{manifest}: {key} is no API this chart may render");
    }

    public static object Load(RenderedManifest manifest)
    {
        try
        {
            return manifest.Object.Deserialize(TypeOf(manifest), Strict)
                ?? throw new Xunit.Sdk.XunitException($"{manifest}: empty object");
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"{manifest}: {e.Message}");
        }
    }

    public static IEnumerable<T> All<T>(RenderResult result) =>
        result.Manifests.Select(Load).OfType<T>();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
