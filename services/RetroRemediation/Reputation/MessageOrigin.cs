namespace Gateway.RetroRemediation.Reputation;

/// <summary>Who sent a delivered message to the edge: the client's address and the envelope sender's domain.</summary>
public sealed record MessageOrigin(string ClientIp, string SenderDomain);
