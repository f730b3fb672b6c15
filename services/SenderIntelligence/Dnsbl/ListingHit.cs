namespace Gateway.SenderIntelligence.Dnsbl;

/// <summary>A zone or feed that lists a client, with the weight it adds and what it answered.</summary>
public sealed record ListingHit(string Name, double Weight, string Detail);
