using Gateway.ClusterCommon.Kafka;
using Gateway.MtaEdge.Delivery;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>
/// The delay topics: RetryInitialDelay, doubled per step until RetryMaxDelay. After attempt n a message goes
/// to step n-1 (the last step repeats). Each topic holds one fixed delay, so its records fall due in the order
/// they were written and a consumer only ever waits for the record at the head of a partition.
/// </summary>
public sealed class DelayLadder
{
    public DelayLadder(IOptions<DeliveryOptions> delivery, IOptions<KafkaDeliveryOptions> kafka, KafkaTopics topics)
    {
        var d = delivery.Value;
        var delays = new List<TimeSpan>();
        var delay = d.RetryInitialDelay;
        while (delays.Count < Math.Max(1, kafka.Value.MaxDelayTopics))
        {
            var capped = delay < d.RetryMaxDelay ? delay : d.RetryMaxDelay;
            delays.Add(capped);
            if (capped >= d.RetryMaxDelay)
            {
                break;
            }

            delay *= 2;
        }

        Delays = delays;
        Topics = delays.Select(topics.Retry).ToList();
    }

    public IReadOnlyList<TimeSpan> Delays { get; }

    public IReadOnlyList<string> Topics { get; }

    /// <summary>The step for a message that has had <paramref name="attempts"/> attempts (0: none yet).</summary>
    public int StepFor(int attempts) => Math.Clamp(attempts - 1, 0, Delays.Count - 1);
}
