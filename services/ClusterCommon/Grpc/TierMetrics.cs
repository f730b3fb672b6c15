using Prometheus;

namespace Gateway.ClusterCommon.Grpc;

internal static class TierMetrics
{
    public static readonly Counter Calls = Metrics.CreateCounter(
        "gateway_tier_calls_total",
        "gRPC calls to another tier, by outcome: ok, fail_open, or the gRPC status code of the failure.",
        new CounterConfiguration { LabelNames = ["tier", "method", "outcome"] });

    public static readonly Histogram Seconds = Metrics.CreateHistogram(
        "gateway_tier_call_seconds",
        "Duration of gRPC calls to another tier.",
        new HistogramConfiguration
        {
            LabelNames = ["tier", "method"],
            Buckets = Histogram.ExponentialBuckets(0.0005, 3, 12),
        });
}
