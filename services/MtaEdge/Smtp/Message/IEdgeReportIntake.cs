using Gateway.V1;

namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>
/// The fingerprint filter's report intake as the edge sees it (spam traps and the abuse mailbox). The
/// edge project does not reference the filter, so the host adapts the filter's <c>IReportIntake</c> to
/// this; without a registration no recipient is a trap or an abuse address.
/// </summary>
public interface IEdgeReportIntake
{
    /// <summary>What a recipient is to the filter; asked at RCPT.</summary>
    ReportRecipientRole RoleOf(string recipient);

    /// <summary>
    /// Learns from a message with a trap or abuse recipient, before it is scanned. Any exception (the
    /// filter's store unavailable above all) makes the edge answer 451: nothing is acknowledged.
    /// </summary>
    Task<IntakeResult> IntakeAsync(IntakeRequest request, CancellationToken cancellationToken);
}
