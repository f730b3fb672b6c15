namespace Gateway.RetroRemediation.Reputation;

/// <summary>
/// A delivered message whose fingerprint was convicted after delivery (a spam report): its sending client should
/// lose reputation as if the spam had been recognised at the end of DATA.
/// </summary>
/// <param name="OutcomeId">Unique per message and event ("&lt;event id&gt;:&lt;queue id&gt;"), so a sink that sees
/// it twice can count it once.</param>
/// <param name="QueueId">The edge's queue id of the message.</param>
/// <param name="ClientIp">The address of the client that sent it to the edge.</param>
/// <param name="SenderDomain">The envelope sender's domain, lowercased; empty for the null sender.</param>
/// <param name="Copies">Copies of the message the event found (one per recipient).</param>
/// <param name="At">When the conviction was learned.</param>
public sealed record ConvictedMessage(
    string OutcomeId, string QueueId, string ClientIp, string SenderDomain, int Copies, DateTimeOffset At);
