using Prometheus;

namespace Gateway.MtaEdge.Queue;

/// <summary>
/// Queue gauges, refreshed from the live queue just before each scrape so the oldest age keeps
/// growing between stores. One process has one spool; the last one constructed is reported.
/// </summary>
internal static class QueueMetrics
{
    private static readonly Gauge Messages = Metrics.CreateGauge(
        "gateway_queue_messages", "Messages in the delivery queue.");

    private static readonly Gauge OldestAge = Metrics.CreateGauge(
        "gateway_queue_oldest_age_seconds", "Age of the oldest queued message in seconds; zero when empty.");

    private static readonly Lock Gate = new();
    private static IQueueInspector? _inspector;
    private static bool _registered;

    public static void Track(IQueueInspector inspector)
    {
        lock (Gate)
        {
            _inspector = inspector;
            if (!_registered)
            {
                Metrics.DefaultRegistry.AddBeforeCollectCallback(Refresh);
                _registered = true;
            }
        }
    }

    private static void Refresh()
    {
        var status = _inspector?.GetStatus();
        if (status is null)
        {
            return;
        }

        Messages.Set(status.Messages);
        OldestAge.Set(status.OldestAgeSeconds);
    }
}
