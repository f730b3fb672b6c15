using Gateway.SenderIntelligence.Admin;
using Gateway.SenderIntelligence.Policy;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Qos;

/// <summary>
/// The tier in force for a sender and the limits that come with it. <see cref="Source"/> says what decided it:
/// <c>admin</c>, <c>policy:&lt;rule&gt;</c>, <c>dynamic</c>, or <c>dynamic+policy:&lt;rule&gt;</c> when a rule only
/// set limits.
/// </summary>
public sealed record TierResolution(
    SenderTier Tier,
    string Source,
    SenderLimits Limits,
    PolicyRule? Rule,
    OverrideMatch? Override,
    SenderTier DynamicTier);
