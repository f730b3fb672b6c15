using Gateway.SenderIntelligence.Subjects;

namespace Gateway.SenderIntelligence.Admin;

/// <summary>An administrator decision that applies to a sender, and the subject it was made for.</summary>
public sealed record OverrideMatch(SenderSubject Subject, OverrideEntry Entry);
