namespace Gateway.SenderIntelligence.Subjects;

/// <summary>What an administrator can name: one address, a network, or an envelope-sender domain.</summary>
public enum SubjectKind
{
    Address,
    Network,
    Domain,
}
