using Gateway.MtaEdge.Smtp.Protocol;

namespace Gateway.MtaEdge.Smtp.Addressing;

/// <summary>The outcome of <see cref="RecipientPolicy"/>: a local mailbox address, or the refusal.</summary>
internal readonly record struct RecipientDecision(string? Address, SmtpReply? Refusal)
{
    public bool IsAccepted => Address is not null;
}
