using System.Collections.Concurrent;
using Gateway.MtaEdge.Smtp.Message;
using Gateway.V1;

namespace Gateway.MtaEdge.Tests.Smtp.Support;

/// <summary>Report intake double: fixed trap and abuse addresses; records every intake call.</summary>
public sealed class StubReportIntake : IEdgeReportIntake
{
    public HashSet<string> Traps { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> Abuse { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether abuse addresses still get their mail (the filter's DeliverAbuseReports).</summary>
    public bool DeliverAbuseReports { get; set; } = true;

    public Exception? Failure { get; set; }

    public ConcurrentQueue<IntakeRequest> Requests { get; } = new();

    public ReportRecipientRole RoleOf(string recipient) =>
        Traps.Contains(recipient) ? ReportRecipientRole.Trap
        : Abuse.Contains(recipient) ? ReportRecipientRole.Abuse
        : ReportRecipientRole.Mailbox;

    public Task<IntakeResult> IntakeAsync(IntakeRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (Failure is not null)
        {
            throw Failure;
        }

        var result = new IntakeResult();
        foreach (var recipient in request.Recipients)
        {
            var role = RoleOf(recipient);
            if (role == ReportRecipientRole.Trap || (role == ReportRecipientRole.Abuse && !DeliverAbuseReports))
            {
                result.ConsumedRecipients.Add(recipient);
            }

            if (role != ReportRecipientRole.Mailbox)
            {
                result.Reports.Add(new ReportResult { Changed = true });
            }
        }

        return Task.FromResult(result);
    }
}
