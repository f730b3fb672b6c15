using System.Diagnostics;

namespace Gateway.ClusterCommon.Telemetry;

/// <summary>
/// The activity source of the cluster plumbing (Kafka publish and process spans). Span and attribute
/// names follow the OpenTelemetry messaging semantic conventions
/// (https://opentelemetry.io/docs/specs/semconv/messaging/kafka/).
/// </summary>
public static class ClusterTelemetry
{
    public const string SourceName = "Gateway.Cluster";

    public static readonly ActivitySource Source = new(SourceName);
}
