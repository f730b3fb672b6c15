using Gateway.V1;

namespace Gateway.SenderIntelligence.Qos;

/// <summary>A change of dynamic tier the profile calls for; <see cref="Cause"/> is a short label for metrics.</summary>
public sealed record TierMove(SenderTier From, SenderTier To, string Cause, string Reason)
{
    public bool IsPromotion => To > From;
}
