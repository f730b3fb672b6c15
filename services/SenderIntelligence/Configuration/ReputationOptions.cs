namespace Gateway.SenderIntelligence.Configuration;

/// <summary>
/// Shared reputation (<c>Gateway:Sender:Global:Reputation</c>): every outcome moves a score per address, per
/// network (/24 for IPv4, /64 for IPv6) and per sender domain, kept in Redis for every node. Scores decay towards
/// 0 with <see cref="HalfLife"/>; higher is better.
/// </summary>
public sealed class ReputationOptions
{
    public bool Enabled { get; set; } = true;

    public TimeSpan HalfLife { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// A combined score at or below this refuses the client (554 5.7.1 at connect, 550 5.7.1 at MAIL).
    /// </summary>
    public double RejectAtOrBelow { get; set; } = -50;

    /// <summary>Share of the network's score in the combined score.</summary>
    public double NetworkWeight { get; set; } = 0.5;

    /// <summary>Share of the sender domain's score in the combined score (from MAIL on).</summary>
    public double DomainWeight { get; set; } = 0.5;

    /// <summary>Scores are kept within these bounds, so no sender banks unlimited good will.</summary>
    public double Minimum { get; set; } = -1000;

    public double Maximum { get; set; } = 50;

    public double DeliveredWeight { get; set; } = 1;

    public double ConvictedWeight { get; set; } = -10;

    public double UnknownRecipientWeight { get; set; } = -2;

    public double ProtocolErrorWeight { get; set; } = -1;

    public double TrapHitWeight { get; set; } = -25;
}
