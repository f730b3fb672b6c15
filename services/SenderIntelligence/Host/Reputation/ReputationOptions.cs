namespace Gateway.SenderIntelligence.Host.Reputation;

/// <summary>How long per-client outcome counters are kept, bound from <c>Gateway:Reputation</c>.</summary>
public sealed class ReputationOptions
{
    public const string SectionName = "Gateway:Reputation";

    /// <summary>A client's counters expire this long after its last outcome.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(30);
}
