using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.ClusterCommon.Telemetry;

/// <summary>
/// Keeps every span about one message in one trace even where no caller started one: with no ambient
/// activity, the trace id is derived from the queue id, so the scan at end of DATA, the queue write, the
/// delivery and the remediation records all land in the same trace. An ambient activity always wins.
/// </summary>
public static class MessageTrace
{
    /// <summary>Starts a span for the message when nothing is being traced yet; null otherwise.</summary>
    public static Activity? Begin(string queueId)
    {
        if (Activity.Current is not null || string.IsNullOrEmpty(queueId))
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(queueId), hash);
        var parent = new ActivityContext(
            ActivityTraceId.CreateFromBytes(hash[..16]),
            ActivitySpanId.CreateFromBytes(hash[16..24]),
            ActivityTraceFlags.Recorded,
            isRemote: true);
        var activity = ClusterTelemetry.Source.StartActivity("message", ActivityKind.Internal, parent);
        activity?.SetTag("gateway.queue_id", queueId);
        return activity;
    }

    /// <summary>The trace id <see cref="Begin"/> gives a queue id (for tests and log correlation).</summary>
    public static ActivityTraceId TraceIdOf(string queueId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(queueId), hash);
        return ActivityTraceId.CreateFromBytes(hash[..16]);
    }
}
