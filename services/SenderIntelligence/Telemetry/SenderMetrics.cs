using Gateway.V1;
using Action = Gateway.V1.Action;
using Prometheus;

namespace Gateway.SenderIntelligence.Telemetry;

/// <summary>Prometheus metrics of the sender intelligence tier.</summary>
public sealed class SenderMetrics
{
    private readonly Counter _decisions;
    private readonly Counter _storeFailures;

    public SenderMetrics()
        : this(Metrics.DefaultFactory)
    {
    }

    /// <param name="factory">Where the metrics are registered; tests pass a private registry.</param>
    public SenderMetrics(IMetricFactory factory)
    {
        _decisions = factory.CreateCounter(
            "gateway_sender_decisions_total",
            "Connect decisions of the sender intelligence tier, by action and reason.",
            new CounterConfiguration { LabelNames = ["action", "reason"] });
        _storeFailures = factory.CreateCounter(
            "gateway_sender_store_failures_total",
            "Shared-store (Redis) operations of the sender tier that failed or timed out, by operation.",
            new CounterConfiguration { LabelNames = ["operation"] });
    }

    public void RecordDecision(ConnectDecision decision) =>
        _decisions.WithLabels(ActionLabel(decision.Verdict.Action), decision.Verdict.Reason).Inc();

    /// <param name="operation"><c>acquire</c> or <c>release</c>.</param>
    public void RecordStoreFailure(string operation) => _storeFailures.WithLabels(operation).Inc();

    internal double DecisionCount(Action action, string reason) =>
        _decisions.WithLabels(ActionLabel(action), reason).Value;

    internal double StoreFailureCount(string operation) => _storeFailures.WithLabels(operation).Value;

    private static string ActionLabel(Action action) => action switch
    {
        Action.Accept => "accept",
        Action.Tempfail => "tempfail",
        Action.Reject => "reject",
        _ => "unspecified",
    };
}
