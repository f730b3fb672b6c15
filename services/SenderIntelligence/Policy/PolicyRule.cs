using Gateway.SenderIntelligence.Networks;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Policy;

/// <summary>
/// One rule of the policy file. Every condition present must hold (a list holds when any entry matches); a rule
/// without conditions matches every sender. It sets a tier, explicit limits, or both.
/// </summary>
public sealed class PolicyRule
{
    public required string Name { get; init; }

    /// <summary>Line of the rule in the policy file (for messages).</summary>
    public int Line { get; init; }

    public IpNetworkSet? Networks { get; init; }

    public IReadOnlyList<WildcardPattern>? Helo { get; init; }

    public IReadOnlyList<WildcardPattern>? SenderDomains { get; init; }

    public double? ReputationMin { get; init; }

    public double? ReputationMax { get; init; }

    /// <summary>The sender was first seen at least this long ago.</summary>
    public TimeSpan? OlderThan { get; init; }

    /// <summary>The sender was first seen less than this long ago.</summary>
    public TimeSpan? NewerThan { get; init; }

    public SenderTier? Tier { get; init; }

    public LimitOverlay? Limits { get; init; }

    /// <summary>True when the rule tests HELO or the sender domain, which are known only from MAIL on.</summary>
    public bool NeedsEnvelope => Helo is not null || SenderDomains is not null;

    public bool Matches(SenderFacts facts)
    {
        if (Networks is not null && !Networks.Contains(facts.Address))
        {
            return false;
        }

        if (Helo is not null && (facts.Helo is null || !Helo.Any(p => p.IsMatch(facts.Helo))))
        {
            return false;
        }

        if (SenderDomains is not null
            && (string.IsNullOrEmpty(facts.SenderDomain) || !SenderDomains.Any(p => p.IsMatch(facts.SenderDomain))))
        {
            return false;
        }

        if ((ReputationMin is { } min && facts.Reputation < min)
            || (ReputationMax is { } max && facts.Reputation > max))
        {
            return false;
        }

        return (OlderThan is not { } older || facts.Age >= older) && (NewerThan is not { } newer || facts.Age < newer);
    }
}
