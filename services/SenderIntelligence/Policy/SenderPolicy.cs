using Gateway.SenderIntelligence.Networks;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Policy;

/// <summary>
/// A loaded policy: the limits of each tier and the ordered rules. Immutable; a reload builds a new one and swaps
/// it in whole, so a check never sees half of an old and half of a new policy.
/// </summary>
public sealed class SenderPolicy
{
    public SenderPolicy(IReadOnlyDictionary<SenderTier, SenderLimits> tiers, IReadOnlyList<PolicyRule> rules,
        string source)
    {
        Tiers = tiers;
        Rules = rules;
        Source = source;
    }

    /// <summary>Where the policy came from: the file path, or "built-in".</summary>
    public string Source { get; }

    public IReadOnlyDictionary<SenderTier, SenderLimits> Tiers { get; }

    public IReadOnlyList<PolicyRule> Rules { get; }

    /// <summary>Tier limits used when the policy file does not set them.</summary>
    public static IReadOnlyDictionary<SenderTier, SenderLimits> DefaultTiers { get; } =
        new Dictionary<SenderTier, SenderLimits>
        {
            [SenderTier.Blocked] = SenderLimits.None,
            [SenderTier.Probation] = new()
            {
                ConcurrentConnections = 3,
                ConnectionsPerWindow = 30,
                ConnectionWindow = TimeSpan.FromMinutes(1),
                MessagesPerConnection = 10,
                RecipientsPerMessage = 20,
                MessagesPerHour = 100,
                BytesPerHour = 50L * 1024 * 1024,
                TarpitDelay = TimeSpan.FromMilliseconds(500),
            },
            [SenderTier.Standard] = new()
            {
                ConcurrentConnections = 10,
                ConnectionsPerWindow = 120,
                ConnectionWindow = TimeSpan.FromMinutes(1),
                MessagesPerConnection = 100,
                RecipientsPerMessage = 100,
                MessagesPerHour = 2000,
                BytesPerHour = 1024L * 1024 * 1024,
            },
            [SenderTier.Trusted] = new()
            {
                ConcurrentConnections = 50,
                ConnectionsPerWindow = SenderLimits.Unlimited,
                ConnectionWindow = TimeSpan.FromMinutes(1),
                MessagesPerConnection = 1000,
                RecipientsPerMessage = 1000,
                MessagesPerHour = SenderLimits.Unlimited,
                BytesPerHour = SenderLimits.Unlimited,
            },
        };

    /// <summary>
    /// The policy when no file is configured: default limits, and loopback clients (local tools, a proxy on the
    /// same host) trusted so that a fresh standalone gateway does not throttle its own user.
    /// </summary>
    public static SenderPolicy BuiltIn { get; } = new(
        DefaultTiers,
        [
            new PolicyRule
            {
                Name = "loopback",
                Networks = new IpNetworkSet([IpNetwork.Parse("127.0.0.0/8"), IpNetwork.Parse("::1")]),
                Tier = SenderTier.Trusted,
            },
        ],
        "built-in");

    public SenderLimits LimitsOf(SenderTier tier) =>
        Tiers.TryGetValue(tier, out var limits) ? limits : DefaultTiers[tier];

    /// <summary>The first rule matching the facts, or null.</summary>
    public PolicyRule? Match(SenderFacts facts)
    {
        foreach (var rule in Rules)
        {
            if (rule.Matches(facts))
            {
                return rule;
            }
        }

        return null;
    }
}
