using Gateway.V1;
using Prometheus;

namespace Gateway.RetroRemediation.Metrics;

/// <summary>Prometheus metrics of the retro-remediation tier. Names and labels are a public contract.</summary>
public static class RemediationMetrics
{
    private static readonly Counter Actions = Prometheus.Metrics.CreateCounter(
        "gateway_remediation_actions_total",
        "Actions on delivered copies, by store (maildir, imap, jmap, webhook), action (move_to_junk, "
        + "move_to_quarantine, delete, flag, restore, unflag, locate, skip) and result (done, already_done, "
        + "not_found, skipped_read, refused, failed: a try that failed and is retried, dry_run, exempt, "
        + "cannot_undo, gave_up; inbox, remediated, elsewhere for locate).",
        new CounterConfiguration { LabelNames = ["store", "action", "result"] });

    private static readonly Histogram Latency = Prometheus.Metrics.CreateHistogram(
        "gateway_remediation_action_latency_seconds",
        "From the conviction (or reversal) to the store action that completed it, by store and action.",
        new HistogramConfiguration
        {
            LabelNames = ["store", "action"],
            Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600],
        });

    private static readonly Counter CopiesRecorded = Prometheus.Metrics.CreateCounter(
        "gateway_remediation_copies_recorded_total",
        "Delivered copies remembered for remediation, by store.",
        new CounterConfiguration { LabelNames = ["store"] });

    private static readonly Gauge CacheCopies = Prometheus.Metrics.CreateGauge(
        "gateway_remediation_cache_entries",
        "Copies held by the live slots of the delivered-mail cache (recorded within the window).");

    private static readonly Gauge CacheBytes = Prometheus.Metrics.CreateGauge(
        "gateway_remediation_cache_bytes",
        "Bytes of copy entries and fingerprint index held by the live slots of the delivered-mail cache "
        + "(data written; Redis adds its own overhead, measured by tools/bench/remediation).");

    private static readonly Gauge Pending = Prometheus.Metrics.CreateGauge(
        "gateway_remediation_pending_actions",
        "Actions in the durable pending list (being tried, or waiting for a retry).");

    public static void ActionTaken(MailboxStoreKind store, string action, string result) =>
        Actions.WithLabels(StoreLabel(store), action, result).Inc();

    public static void ActionLatency(MailboxStoreKind store, string action, TimeSpan latency) =>
        Latency.WithLabels(StoreLabel(store), action).Observe(Math.Max(0, latency.TotalSeconds));

    public static void CopyRecorded(MailboxStoreKind store) => CopiesRecorded.WithLabels(StoreLabel(store)).Inc();

    public static void Cache(long copies, long bytes)
    {
        CacheCopies.Set(copies);
        CacheBytes.Set(bytes);
    }

    public static void PendingActions(long count) => Pending.Set(count);

    public static string StoreLabel(MailboxStoreKind store) => store switch
    {
        MailboxStoreKind.Maildir => "maildir",
        MailboxStoreKind.Imap => "imap",
        MailboxStoreKind.Jmap => "jmap",
        MailboxStoreKind.Webhook => "webhook",
        _ => "unknown",
    };
}
