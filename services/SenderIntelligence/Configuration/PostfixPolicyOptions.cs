namespace Gateway.SenderIntelligence.Configuration;

/// <summary>
/// The Postfix policy delegation listener (<c>Gateway:Sender:PostfixPolicy</c>), so an existing Postfix can use
/// this tier: <c>smtpd_recipient_restrictions = ..., check_policy_service inet:127.0.0.1:10040</c>.
/// </summary>
public sealed class PostfixPolicyOptions
{
    public bool Enabled { get; set; }

    /// <summary>Where to listen; loopback by default, as the protocol has no authentication.</summary>
    public string Listen { get; set; } = "127.0.0.1:10040";

    /// <summary>Most Postfix connections served at once (Postfix keeps one per smtpd process).</summary>
    public int MaxConnections { get; set; } = 200;

    /// <summary>A connection idle this long is closed (Postfix reconnects when needed).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
