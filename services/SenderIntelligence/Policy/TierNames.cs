using Gateway.V1;

namespace Gateway.SenderIntelligence.Policy;

/// <summary>The names of the tiers as written in the policy file, replies, logs and metric labels.</summary>
public static class TierNames
{
    public static string Name(SenderTier tier) => tier switch
    {
        SenderTier.Blocked => "blocked",
        SenderTier.Probation => "probation",
        SenderTier.Standard => "standard",
        SenderTier.Trusted => "trusted",
        _ => "none",
    };

    public static bool TryParse(string? text, out SenderTier tier)
    {
        tier = text?.Trim().ToLowerInvariant() switch
        {
            "blocked" => SenderTier.Blocked,
            "probation" => SenderTier.Probation,
            "standard" => SenderTier.Standard,
            "trusted" => SenderTier.Trusted,
            _ => SenderTier.Unspecified,
        };
        return tier != SenderTier.Unspecified;
    }
}
