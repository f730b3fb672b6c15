using Gateway.V1;
using Prometheus;

namespace Gateway.RetroRemediation.Metrics;

/// <summary>Prometheus counters of the retro-remediation tier. Names and labels are a public contract.</summary>
public static class RemediationMetrics
{
    private static readonly Counter Actions = Prometheus.Metrics.CreateCounter(
        "gateway_remediation_actions_total",
        "Store operations on delivered copies, by store (maildir, imap), action (move_to_junk, restore, locate) "
        + "and result (moved, already_there, not_found, refused, failed; inbox, junk, elsewhere, unknown for locate).",
        new CounterConfiguration { LabelNames = ["store", "action", "result"] });

    private static readonly Counter CopiesRecorded = Prometheus.Metrics.CreateCounter(
        "gateway_remediation_copies_recorded_total",
        "Delivered copies remembered for remediation, by store.",
        new CounterConfiguration { LabelNames = ["store"] });

    public static void ActionTaken(MailboxStoreKind store, string action, string result) =>
        Actions.WithLabels(StoreLabel(store), action, result).Inc();

    public static void CopyRecorded(MailboxStoreKind store) => CopiesRecorded.WithLabels(StoreLabel(store)).Inc();

    public static string StoreLabel(MailboxStoreKind store) => store switch
    {
        MailboxStoreKind.Maildir => "maildir",
        MailboxStoreKind.Imap => "imap",
        _ => "unknown",
    };
}
