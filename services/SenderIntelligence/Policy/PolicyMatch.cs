using Gateway.SenderIntelligence.Networks;

namespace Gateway.SenderIntelligence.Policy;

/// <summary>The list a client address matched and the most specific network that matched it.</summary>
public readonly record struct PolicyMatch(PolicyListKind List, IpNetwork Network);
