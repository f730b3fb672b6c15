namespace Gateway.SenderIntelligence.Store;

/// <summary>What decides a sender's tier: its profile fields and its shared reputation, read at one moment.</summary>
public sealed record SenderStanding(ProfileFields Profile, double Reputation, double NetworkReputation)
{
    public static SenderStanding New { get; } = new(ProfileFields.Empty, 0, 0);
}
