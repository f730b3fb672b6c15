using System.Text.Json.Serialization;

namespace Gateway.MtaEdge.Queue;

/// <summary>
/// The on-disk envelope format. Read-only properties (such as PendingRecipients) are derived and
/// stay out of the file; enums are written by name so a reordering cannot change a stored status.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    IgnoreReadOnlyProperties = true,
    UseStringEnumConverter = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(QueuedMessage))]
internal sealed partial class SpoolJsonContext : JsonSerializerContext
{
}
