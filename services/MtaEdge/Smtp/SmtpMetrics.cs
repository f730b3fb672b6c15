using Prometheus;

namespace Gateway.MtaEdge.Smtp;

/// <summary>Prometheus metrics of the SMTP listener. Names and labels are a contract with dashboards.</summary>
internal static class SmtpMetrics
{
    public static readonly Counter Connections = Metrics.CreateCounter(
        "gateway_smtp_connections_total",
        "SMTP connections by outcome at connect: accepted, refused, deferred, overloaded, error, early-talker, "
        + "proxy-untrusted, proxy-error, shutting-down.",
        new CounterConfiguration { LabelNames = new[] { "result" } });

    public static readonly Gauge SessionsActive = Metrics.CreateGauge(
        "gateway_smtp_sessions_active",
        "SMTP sessions currently open.");

    public static readonly Counter Messages = Metrics.CreateCounter(
        "gateway_smtp_messages_total",
        "Messages at end of DATA by result (accepted, refused, deferred) and reason.",
        new CounterConfiguration { LabelNames = new[] { "result", "reason" } });

    public static readonly Counter ReceivedBytes = Metrics.CreateCounter(
        "gateway_smtp_received_bytes_total",
        "Octets of message data received, accepted or not.");

    public static readonly Counter TlsHandshakes = Metrics.CreateCounter(
        "gateway_smtp_tls_handshakes_total",
        "STARTTLS handshakes by result (ok, failed).",
        new CounterConfiguration { LabelNames = new[] { "result" } });

    public static readonly Counter Commands = Metrics.CreateCounter(
        "gateway_smtp_commands_total",
        "SMTP commands by verb (known verbs only; anything else is counted as 'unknown').",
        new CounterConfiguration { LabelNames = new[] { "verb" } });

    /// <summary>A reason from another tier, reduced to a short safe label value.</summary>
    public static string Label(string? value, string fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        var chars = value.ToLowerInvariant()
            .Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':')
            .Take(32)
            .ToArray();
        return chars.Length == 0 ? fallback : new string(chars);
    }
}
