using Prometheus;

namespace Gateway.MtaEdge.Delivery;

/// <summary>Delivery counters and timings (prometheus-net default registry).</summary>
internal static class DeliveryMetrics
{
    /// <summary>One count per recipient per attempt: result is delivered, deferred or failed.</summary>
    public static readonly Counter Attempts = Metrics.CreateCounter(
        "gateway_delivery_attempts_total",
        "Delivery attempts per recipient, by result (delivered, deferred, failed).",
        new CounterConfiguration { LabelNames = ["result"] });

    /// <summary>Time of one attempt (one connection or one set of Maildir writes) for one message.</summary>
    public static readonly Histogram Duration = Metrics.CreateHistogram(
        "gateway_delivery_duration_seconds",
        "Duration of one delivery attempt of one message, in seconds.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2.5, 14) });

    /// <summary>From arrival at the edge to delivery, per delivered recipient: what a user waits.</summary>
    public static readonly Histogram Latency = Metrics.CreateHistogram(
        "gateway_delivery_latency_seconds",
        "Time from acceptance at the edge (250) to delivery, per delivered recipient, in seconds.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 3, 14) });
}
