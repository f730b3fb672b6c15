using Gateway.SenderIntelligence.Policy;
using Gateway.V1;
using Prometheus;
using Action = Gateway.V1.Action;

namespace Gateway.SenderIntelligence.Telemetry;

/// <summary>Prometheus metrics of the sender intelligence tier.</summary>
public sealed class SenderMetrics
{
    private readonly Counter _decisions;
    private readonly Counter _storeFailures;
    private readonly Counter _dnsblLookups;
    private readonly Histogram _dnsblLatency;
    private readonly Gauge _dnsblZoneEnabled;
    private readonly Counter _transitions;
    private readonly Counter _policyReloads;
    private readonly Counter _feedRefreshes;
    private readonly Gauge _feedEntries;
    private readonly Counter _postfixRequests;

    public SenderMetrics()
        : this(Metrics.DefaultFactory)
    {
    }

    /// <param name="factory">Where the metrics are registered; tests pass a private registry.</param>
    public SenderMetrics(IMetricFactory factory)
    {
        _decisions = factory.CreateCounter(
            "gateway_sender_decisions_total",
            "Decisions of the sender intelligence tier, by stage (connect, mail, rcpt, data), action, reason and tier.",
            new CounterConfiguration { LabelNames = ["stage", "action", "reason", "tier"] });
        _storeFailures = factory.CreateCounter(
            "gateway_sender_store_failures_total",
            "Shared-store (Redis) operations of the sender tier that failed or timed out, by operation.",
            new CounterConfiguration { LabelNames = ["operation"] });
        _dnsblLookups = factory.CreateCounter(
            "gateway_sender_dnsbl_lookups_total",
            "DNS list lookups by zone and result: listed, not-listed, timeout, error (queries), cached (answered from "
            + "the cache), late (not answered before the connect check stopped waiting).",
            new CounterConfiguration { LabelNames = ["zone", "result"] });
        _dnsblLatency = factory.CreateHistogram(
            "gateway_sender_dnsbl_lookup_seconds",
            "Time DNS list queries took to answer, by zone (cached answers not included).",
            new HistogramConfiguration
            {
                LabelNames = ["zone"],
                Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
            });
        _dnsblZoneEnabled = factory.CreateGauge(
            "gateway_sender_dnsbl_zone_enabled",
            "1 when a DNS list zone passed its last RFC 5782 self-check and is used, 0 when disabled.",
            new GaugeConfiguration { LabelNames = ["zone"] });
        _transitions = factory.CreateCounter(
            "gateway_sender_tier_transitions_total",
            "Tier changes of senders, automatic or by an administrator, by from, to and cause.",
            new CounterConfiguration { LabelNames = ["from", "to", "cause"] });
        _policyReloads = factory.CreateCounter(
            "gateway_sender_policy_reloads_total",
            "Policy file reloads by result (loaded, refused, unreadable).",
            new CounterConfiguration { LabelNames = ["result"] });
        _feedRefreshes = factory.CreateCounter(
            "gateway_sender_feed_refreshes_total",
            "Reputation feed refreshes by feed and result (loaded, unchanged, failed).",
            new CounterConfiguration { LabelNames = ["feed", "result"] });
        _feedEntries = factory.CreateGauge(
            "gateway_sender_feed_entries",
            "Entries in the table last loaded from each reputation feed.",
            new GaugeConfiguration { LabelNames = ["feed"] });
        _postfixRequests = factory.CreateCounter(
            "gateway_sender_postfix_policy_requests_total",
            "Postfix policy delegation requests by protocol state and answer.",
            new CounterConfiguration { LabelNames = ["state", "action"] });
    }

    public void RecordDecision(string stage, Verdict? verdict, SenderTier tier) =>
        _decisions.WithLabels(
            stage,
            ActionLabel(verdict?.Action ?? Action.Unspecified),
            verdict?.Reason ?? "",
            TierNames.Name(tier)).Inc();

    /// <param name="operation">The store operation: acquire, release, mail, rcpt, data, close, outcome, ...</param>
    public void RecordStoreFailure(string operation) => _storeFailures.WithLabels(operation).Inc();

    public void RecordDnsblLookup(string zone, string result, TimeSpan? latency)
    {
        _dnsblLookups.WithLabels(zone, result).Inc();
        if (latency is { } elapsed)
        {
            _dnsblLatency.WithLabels(zone).Observe(elapsed.TotalSeconds);
        }
    }

    public void SetZoneEnabled(string zone, bool enabled) => _dnsblZoneEnabled.WithLabels(zone).Set(enabled ? 1 : 0);

    public void RecordTransition(SenderTier from, SenderTier to, string cause) =>
        _transitions.WithLabels(TierNames.Name(from), TierNames.Name(to), cause).Inc();

    public void RecordPolicyReload(string result) => _policyReloads.WithLabels(result).Inc();

    public void RecordFeedRefresh(string feed, string result) => _feedRefreshes.WithLabels(feed, result).Inc();

    public void SetFeedEntries(string feed, int entries) => _feedEntries.WithLabels(feed).Set(entries);

    public void RecordPostfixRequest(string state, string action) => _postfixRequests.WithLabels(state, action).Inc();

    internal double DecisionCount(string stage, Action action, string reason, SenderTier tier) =>
        _decisions.WithLabels(stage, ActionLabel(action), reason, TierNames.Name(tier)).Value;

    internal double DecisionCount(string stage, Action action, string reason) =>
        new[] { SenderTier.Unspecified, SenderTier.Blocked, SenderTier.Probation, SenderTier.Standard,
            SenderTier.Trusted }
            .Sum(t => _decisions.WithLabels(stage, ActionLabel(action), reason, TierNames.Name(t)).Value);

    internal double StoreFailureCount(string operation) => _storeFailures.WithLabels(operation).Value;

    internal double DnsblLookupCount(string zone, string result) => _dnsblLookups.WithLabels(zone, result).Value;

    internal double ZoneEnabled(string zone) => _dnsblZoneEnabled.WithLabels(zone).Value;

    internal double TransitionCount(SenderTier from, SenderTier to, string cause) =>
        _transitions.WithLabels(TierNames.Name(from), TierNames.Name(to), cause).Value;

    internal double PolicyReloadCount(string result) => _policyReloads.WithLabels(result).Value;

    internal double FeedRefreshCount(string feed, string result) => _feedRefreshes.WithLabels(feed, result).Value;

    internal double PostfixRequestCount(string state, string action) =>
        _postfixRequests.WithLabels(state, action).Value;

    private static string ActionLabel(Action action) => action switch
    {
        Action.Accept => "accept",
        Action.Tempfail => "tempfail",
        Action.Reject => "reject",
        _ => "unspecified",
    };
}
