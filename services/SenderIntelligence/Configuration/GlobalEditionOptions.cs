namespace Gateway.SenderIntelligence.Configuration;

/// <summary>
/// The Global edition (<c>Gateway:Sender:Global</c>): what the world knows about a client. DNS list zones and
/// feeds each add their weight when they list the client; at or over <see cref="Threshold"/> the connection is
/// refused at the greeting (554 5.7.1). Allow lists have negative weights.
/// </summary>
public sealed class GlobalEditionOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Sum of the weights of the zones and feeds listing a client at which it is refused.</summary>
    public double Threshold { get; set; } = 1.0;

    public DnsblOptions Dnsbl { get; set; } = new();

    public List<ReputationFeedOptions> Feeds { get; set; } = new();

    public ReputationOptions Reputation { get; set; } = new();
}
