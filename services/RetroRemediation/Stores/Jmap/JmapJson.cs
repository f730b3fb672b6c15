using System.Text.Json.Nodes;

namespace Gateway.RetroRemediation.Stores.Jmap;

/// <summary>Reading JSON from a server without trusting its shape: a wrong type reads as absent.</summary>
internal static class JmapJson
{
    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static long? Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    public static bool True(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}
