using Gateway.SenderIntelligence.Admin;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Store;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Qos;

/// <summary>
/// Decides a sender's tier and limits, in this order: an administrator's decision in force; else the first policy
/// rule that matches (its tier, and its explicit limits over that tier's); else the dynamic tier the sender's own
/// history earned, whose limits ramp up after a promotion and never exceed the tier's.
/// </summary>
public static class TierResolver
{
    public static TierResolution Resolve(
        SenderPolicy policy,
        SenderFacts facts,
        OverrideMatch? decision,
        SenderStanding standing,
        DynamicQosOptions dynamic,
        DateTimeOffset now)
    {
        var dynamicTier = DynamicTier(standing.Profile, dynamic, now);
        if (decision is not null)
        {
            return new TierResolution(
                decision.Entry.Tier, "admin", policy.LimitsOf(decision.Entry.Tier), null, decision, dynamicTier);
        }

        var rule = policy.Match(facts);
        if (rule?.Tier is { } ruleTier)
        {
            var limits = policy.LimitsOf(ruleTier);
            return new TierResolution(
                ruleTier, "policy:" + rule.Name, rule.Limits is null ? limits : limits.With(rule.Limits), rule, null,
                dynamicTier);
        }

        var earned = DynamicLimits(policy, standing.Profile, dynamicTier, dynamic);
        return rule?.Limits is { } overlay
            ? new TierResolution(dynamicTier, "dynamic+policy:" + rule.Name, earned.With(overlay), rule, null,
                dynamicTier)
            : new TierResolution(dynamicTier, "dynamic", earned, null, null, dynamicTier);
    }

    /// <summary>
    /// The tier a profile stands in: probation for a new sender (or with dynamic QoS off), the stored tier
    /// otherwise, except that an automatic block ends after the cool-off.
    /// </summary>
    public static SenderTier DynamicTier(ProfileFields profile, DynamicQosOptions dynamic, DateTimeOffset now)
    {
        if (!dynamic.Enabled || profile.Tier is not { } tier)
        {
            return SenderTier.Probation;
        }

        if (tier == SenderTier.Blocked && now.ToUnixTimeMilliseconds() - profile.TierSinceMs
            >= dynamic.BlockedCoolOff.TotalMilliseconds)
        {
            return SenderTier.Probation;
        }

        return tier;
    }

    /// <summary>
    /// The limits of the dynamic tier: right after a promotion they start at the previous tier's and grow with
    /// every clean message until, after <see cref="DynamicQosOptions.RampMessages"/>, they reach the tier's own;
    /// <see cref="SenderLimits.Ramp"/> never goes past them.
    /// </summary>
    public static SenderLimits DynamicLimits(
        SenderPolicy policy, ProfileFields profile, SenderTier tier, DynamicQosOptions dynamic)
    {
        var ceiling = policy.LimitsOf(tier);
        if (profile.RampFrom is not { } from || from >= tier || from == SenderTier.Blocked || dynamic.RampMessages <= 0)
        {
            return ceiling;
        }

        var clean = Math.Max(0, profile.TierMessages - profile.TierSpam);
        return SenderLimits.Ramp(policy.LimitsOf(from), ceiling, clean / (double)dynamic.RampMessages);
    }
}
