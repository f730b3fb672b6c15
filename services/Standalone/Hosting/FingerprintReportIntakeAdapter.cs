using Gateway.FingerprintFilter.Intake;
using Gateway.MtaEdge.Smtp.Message;
using Gateway.V1;

namespace Gateway.Standalone.Hosting;

/// <summary>
/// The fingerprint filter's report intake, as the edge asks for it (the edge does not reference the filter).
/// </summary>
internal sealed class FingerprintReportIntakeAdapter(IReportIntake intake) : IEdgeReportIntake
{
    public ReportRecipientRole RoleOf(string recipient) => intake.RoleOf(recipient) switch
    {
        RecipientRole.Trap => ReportRecipientRole.Trap,
        RecipientRole.Abuse => ReportRecipientRole.Abuse,
        _ => ReportRecipientRole.Mailbox,
    };

    public Task<IntakeResult> IntakeAsync(IntakeRequest request, CancellationToken cancellationToken) =>
        intake.IntakeAsync(request, cancellationToken);
}
