namespace Gateway.SenderIntelligence.Policy;

/// <summary>Which local list, if any, a client address is on.</summary>
public enum PolicyListKind
{
    None,
    Allow,
    Block,
}
