using Prometheus;

namespace Gateway.ClusterCommon.Grpc;

internal static class GrpcAuthMetrics
{
    public static readonly Counter Refused = Metrics.CreateCounter(
        "gateway_grpc_unauthenticated_total",
        "gRPC calls refused for want of a valid bearer token, by reason: missing or invalid.",
        new CounterConfiguration { LabelNames = ["reason"] });
}
