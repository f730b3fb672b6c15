using Prometheus;

namespace Gateway.FingerprintFilter;

/// <summary>Prometheus metrics of the fingerprint filter (registered once per process).</summary>
internal static class FingerprintFilterMetrics
{
    public static readonly Counter Scans = Metrics.CreateCounter(
        "gateway_fingerprint_scans_total",
        "Messages scanned against the known-spam fingerprints, by verdict (accept, reject, tempfail).",
        new CounterConfiguration { LabelNames = ["verdict"] });

    public static readonly Counter Classifications = Metrics.CreateCounter(
        "gateway_fingerprint_classifications_total",
        "Messages scanned, by what their content looks like (spam, suspect, clean, unknown when the store was down).",
        new CounterConfiguration { LabelNames = ["class"] });

    public static readonly Histogram ScanDuration = Metrics.CreateHistogram(
        "gateway_fingerprint_scan_duration_seconds",
        "Time to fingerprint a message and look its fingerprints up.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });

    public static readonly Counter Reports = Metrics.CreateCounter(
        "gateway_fingerprint_reports_total",
        "Spam and ham reports learned, by kind (spam, ham) and whether they changed the store.",
        new CounterConfiguration { LabelNames = ["kind", "changed"] });
}
