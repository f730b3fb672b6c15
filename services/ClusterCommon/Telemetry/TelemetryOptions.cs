namespace Gateway.ClusterCommon.Telemetry;

/// <summary>Trace export, bound from <c>Gateway:Telemetry</c>. Off unless an OTLP endpoint is set.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Gateway:Telemetry";

    /// <summary>OTLP collector, e.g. <c>http://127.0.0.1:4317</c>; empty: traces are made but not exported.</summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary><c>grpc</c> (port 4317) or <c>http</c> (http/protobuf, port 4318).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Fraction of new traces kept (0-1); a trace started elsewhere keeps its parent's decision.</summary>
    public double SampleRatio { get; set; } = 1.0;
}
