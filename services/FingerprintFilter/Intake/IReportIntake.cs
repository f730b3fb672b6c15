using Gateway.V1;

namespace Gateway.FingerprintFilter.Intake;

/// <summary>
/// Learning from mail the edge receives for the abuse mailbox and for spam traps. The edge asks
/// <see cref="RoleOf"/> at RCPT time (a trap must be accepted, whatever mailbox exists, and never
/// delivered), and calls <see cref="IntakeAsync"/> at end of DATA, before scanning, for any message
/// with an abuse or trap recipient.
/// </summary>
public interface IReportIntake
{
    RecipientRole RoleOf(string recipient);

    /// <exception cref="Store.FingerprintStoreUnavailableException">
    /// The store did not answer: answer 451 and let the client retry.
    /// </exception>
    Task<IntakeResult> IntakeAsync(IntakeRequest request, CancellationToken cancellationToken);
}
