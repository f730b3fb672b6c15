namespace Gateway.SenderIntelligence.Leases;

/// <summary>Outcome of a lease attempt and the client's live leases afterwards (including the new one).</summary>
public readonly record struct LeaseAcquisition(bool Acquired, long ActiveLeases);
