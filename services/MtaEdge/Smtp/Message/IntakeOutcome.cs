using Gateway.MtaEdge.Smtp.Protocol;

namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>The reply to the end of DATA and whether the message is now in the spool.</summary>
internal sealed record IntakeOutcome(SmtpReply Reply, bool Stored);
