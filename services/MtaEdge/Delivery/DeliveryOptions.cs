using System.ComponentModel.DataAnnotations;

namespace Gateway.MtaEdge.Delivery;

/// <summary>Delivery from the queue to the mailboxes, bound from <c>Gateway:Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Gateway:Delivery";

    /// <summary>
    /// <c>maildir:&lt;dir&gt;</c>, <c>lmtp://host:port</c> or <c>smtp://host:port</c>;
    /// empty means <c>maildir:&lt;DataDir&gt;/mail</c>.
    /// </summary>
    public string Target { get; set; } = "";

    /// <summary>
    /// Static routes per recipient domain, tried before <see cref="Target"/>: each names one or more
    /// targets, tried in order when one cannot be reached (failover). A target is <c>maildir:&lt;dir&gt;</c>,
    /// <c>lmtp://host:port</c>, <c>smtp://host:port</c> or <c>mx</c> (the domain's MX hosts, RFC 5321 5.1).
    /// </summary>
    public List<DeliveryRoute> Routes { get; set; } = new();

    /// <summary>
    /// Where mail for domains that are not ours goes. Only delivery status reports (from the null
    /// sender, to a sender outside our domains) ever need it, since the edge accepts mail only for its
    /// own domains. Empty (the default): such reports are not sent, only logged. E.g. <c>mx</c>, or
    /// <c>smtp://relay.example:25</c> for an outbound relay.
    /// </summary>
    public List<string> RemoteTargets { get; set; } = new();

    /// <summary>
    /// STARTTLS when delivering over SMTP: <c>May</c> (opportunistic), <c>None</c> or <c>Encrypt</c>.
    /// </summary>
    public SmtpTlsPolicy SmtpTls { get; set; } = SmtpTlsPolicy.May;

    /// <summary>
    /// DNS servers for MX lookups (<c>192.0.2.53</c> or <c>192.0.2.53:5353</c>); empty: /etc/resolv.conf.
    /// </summary>
    public List<string> DnsServers { get; set; } = new();

    /// <summary>How long one DNS query may take (per server).</summary>
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Port of the SMTP servers found by MX lookup (25; tests use another).</summary>
    [Range(1, 65535)]
    public int MxPort { get; set; } = 25;

    /// <summary>
    /// How long a connection to an SMTP or LMTP target stays open, idle, after a transaction, for the
    /// next message to reuse (saving the connection, greeting, hello and TLS handshakes). Zero: one
    /// connection per message.
    /// </summary>
    public TimeSpan ConnectionReuseTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages delivered at the same time.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 4;

    /// <summary>Wait after the first temporary failure; doubles after each further one.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Upper bound of the wait between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a message may keep failing temporarily; the first failed attempt after this
    /// fails its pending recipients for good (RFC 5321 section 4.5.4.1 suggests 4-5 days).
    /// </summary>
    public TimeSpan MaxQueueLifetime { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Limit for opening a connection to an LMTP or SMTP target.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Limit for each command's reply and each write to an LMTP or SMTP target, including the reply
    /// after the data (RFC 5321 section 4.5.3.2 suggests 5 minutes for most commands).
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
