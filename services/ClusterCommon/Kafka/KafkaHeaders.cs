using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace Gateway.ClusterCommon.Kafka;

/// <summary>
/// The record headers cluster mode writes: the payload type and the W3C trace context (traceparent,
/// tracestate), so one trace follows a message from the edge through Kafka into every consumer.
/// </summary>
public static class KafkaHeaders
{
    /// <summary>Full protobuf message name of the value, e.g. <c>gateway.v1.QueuedMail</c>.</summary>
    public const string Type = "gw-type";

    /// <summary>Unix milliseconds before which a retry record must not be handled.</summary>
    public const string NotBefore = "gw-not-before";

    public static void InjectTraceContext(Activity? activity, Headers headers)
    {
        if (activity is null)
        {
            return;
        }

        DistributedContextPropagator.Current.Inject(activity, headers, static (carrier, name, value) =>
        {
            if (carrier is Headers h && value is not null)
            {
                h.Remove(name);
                h.Add(name, Encoding.ASCII.GetBytes(value));
            }
        });
    }

    /// <summary>The producer's span context from the headers, or default when there is none (or it is
    /// malformed).</summary>
    public static ActivityContext ExtractTraceContext(Headers? headers)
    {
        if (headers is null)
        {
            return default;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (object? carrier, string name,
            out string? value, out IEnumerable<string>? values) =>
        {
            values = null;
            value = carrier is Headers h && h.TryGetLastBytes(name, out var bytes) && bytes.Length <= 512
                ? Encoding.ASCII.GetString(bytes)
                : null;
        }, out var traceParent, out var traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
    }

    public static void SetLong(Headers headers, string name, long value)
    {
        headers.Remove(name);
        headers.Add(name, Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static long? GetLong(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) && bytes.Length <= 20
        && long.TryParse(Encoding.ASCII.GetString(bytes), System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
