using Gateway.V1;

namespace Gateway.Contracts;

/// <summary>
/// In-process form of the <c>gateway.v1.SenderIntelligence</c> gRPC service: one method per RPC,
/// same request and reply messages, so cluster mode only swaps the transport.
/// </summary>
/// <remarks>
/// The administrative methods throw <see cref="ArgumentException"/> when the subject is not an IP address, a
/// CIDR network or a domain (a gRPC adapter maps it to INVALID_ARGUMENT). The check methods never throw for
/// bad input from the network: they answer with a refusal verdict instead.
/// </remarks>
public interface ISenderIntelligence
{
    /// <summary>Decides whether a newly connected client may proceed to the greeting.</summary>
    Task<ConnectDecision> CheckConnectAsync(ConnectRequest request, CancellationToken cancellationToken);

    /// <summary>Releases what <see cref="CheckConnectAsync"/> took (the connection lease).</summary>
    Task ReleaseConnectionAsync(ReleaseConnectionRequest request, CancellationToken cancellationToken);

    /// <summary>Decides whether a MAIL FROM may start a transaction.</summary>
    Task<MailDecision> CheckMailAsync(MailRequest request, CancellationToken cancellationToken);

    /// <summary>Decides whether a RCPT TO may be accepted, and counts unknown recipients and trap hits.</summary>
    Task<RcptDecision> CheckRcptAsync(RcptRequest request, CancellationToken cancellationToken);

    /// <summary>Counts a received message into the sender's profile; may still defer it (volume limit).</summary>
    Task<EndOfDataDecision> CheckEndOfDataAsync(EndOfDataRequest request, CancellationToken cancellationToken);

    /// <summary>Ends a session: releases its lease, forgets its counters, records its protocol errors.</summary>
    Task<CloseSessionReply> CloseSessionAsync(CloseSessionRequest request, CancellationToken cancellationToken);

    /// <summary>Records an outcome learned after the session into the shared reputation and the profile.</summary>
    Task<OutcomeReply> RecordOutcomeAsync(OutcomeReport request, CancellationToken cancellationToken);

    /// <summary>What the tier knows about an address, network or domain.</summary>
    /// <exception cref="ArgumentException">The subject is not an address, network or domain.</exception>
    Task<SenderProfile> GetProfileAsync(SenderProfileRequest request, CancellationToken cancellationToken);

    /// <summary>Moves a subject to the trusted tier (optionally until a date); recorded in its history.</summary>
    /// <exception cref="ArgumentException">The subject or the date is invalid.</exception>
    Task<SenderProfile> ApproveSenderAsync(ApproveSenderRequest request, CancellationToken cancellationToken);

    /// <summary>Moves a subject to the blocked tier (optionally until a date); recorded in its history.</summary>
    /// <exception cref="ArgumentException">The subject or the date is invalid.</exception>
    Task<SenderProfile> BlockSenderAsync(BlockSenderRequest request, CancellationToken cancellationToken);

    /// <summary>Forgets a subject's approval or block, profile, counters and reputation; history is kept.</summary>
    /// <exception cref="ArgumentException">The subject is invalid.</exception>
    Task<SenderProfile> ResetSenderAsync(ResetSenderRequest request, CancellationToken cancellationToken);
}
