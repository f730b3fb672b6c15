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
