using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Learning;
using Gateway.FingerprintFilter.Store;
using Gateway.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Gateway.FingerprintFilter.Intake;

/// <summary>
/// Learns from spam-trap hits (spam, trusted: convicts at once) and from abuse-mailbox reports
/// (weighed by the reporter's record, since anyone can write to an abuse address). The reporter is the
/// client's SMTP AUTH identity when it has one, else the envelope sender, else the From address; all
/// but the first can be forged, which is why such reports start with little weight.
/// </summary>
public sealed class ReportIntake : IReportIntake
{
    private readonly FingerprintCalculator _calculator;
    private readonly ReportProcessor _reports;
    private readonly FingerprintFilterOptions _options;
    private readonly HashSet<string> _abuse;
    private readonly HashSet<string> _traps;
    private readonly ILogger<ReportIntake> _logger;

    public ReportIntake(
        FingerprintCalculator calculator,
        ReportProcessor reports,
        IOptions<FingerprintFilterOptions> options,
        ILogger<ReportIntake> logger)
    {
        _calculator = calculator;
        _reports = reports;
        _options = options.Value;
        _abuse = options.Value.Intake.AbuseAddresses.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        _traps = options.Value.Intake.TrapAddresses.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        _logger = logger;
    }

    public RecipientRole RoleOf(string recipient)
    {
        var address = Normalize(recipient);
        return _traps.Contains(address) ? RecipientRole.Trap
            : _abuse.Contains(address) ? RecipientRole.Abuse
            : RecipientRole.Mailbox;
    }

    public async Task<IntakeResult> IntakeAsync(IntakeRequest request, CancellationToken cancellationToken)
    {
        var result = new IntakeResult();
        var traps = request.Recipients.Where(r => RoleOf(r) == RecipientRole.Trap).ToList();
        var abuse = request.Recipients.Where(r => RoleOf(r) == RecipientRole.Abuse).ToList();
        result.ConsumedRecipients.AddRange(traps);
        if (!_options.Intake.DeliverAbuseReports)
        {
            result.ConsumedRecipients.AddRange(abuse);
        }

        if (traps.Count > 0)
        {
            // One report per message, however many traps it hit: the first trap names the source.
            var fingerprints = _calculator.Compute(request.Message.Memory, cancellationToken);
            var learned = await _reports.ProcessAsync(
                fingerprints, FingerprintState.Spam, "trap:" + Normalize(traps[0]), null, cancellationToken);
            result.Reports.Add(learned);
            FingerprintFilterLog.TrapHit(_logger, request.QueueId, traps.Count, learned.Convicted);
        }

        if (abuse.Count > 0)
        {
            await LearnAbuseReportAsync(request, result, cancellationToken);
        }

        if (traps.Count == 0 && abuse.Count == 0)
        {
            result.Note = "no-intake-recipient";
        }

        return result;
    }

    private async Task LearnAbuseReportAsync(
        IntakeRequest request, IntakeResult result, CancellationToken cancellationToken)
    {
        if (request.Message.Length > _options.MaxMessageBytes)
        {
            result.Note = "report-too-large";
            return;
        }

        MimeMessage report;
        try
        {
            using var stream = new MemoryStream(request.Message.ToByteArray(), writable: false);
            report = await MimeMessage.LoadAsync(stream, cancellationToken);
        }
        catch (FormatException)
        {
            result.Note = "report-unparseable";
            return;
        }

        using (report)
        {
            var reporter = ReporterOf(request, report);
            var reading = AbuseReportReader.Read(report, _options.Intake.MaxAttachedMessages);
            result.Note = reading.Note;
            foreach (var reported in reading.Messages)
            {
                var fingerprints = _calculator.Compute(reported.Message, cancellationToken);
                result.Reports.Add(await _reports.ProcessAsync(
                    fingerprints, reported.Verdict, "abuse:" + reporter, null, cancellationToken));
            }

            FingerprintFilterLog.AbuseReportRead(
                _logger, request.QueueId, reporter, reading.Note, reading.Messages.Count);
        }
    }

    private static string ReporterOf(IntakeRequest request, MimeMessage report)
    {
        if (!string.IsNullOrWhiteSpace(request.AuthenticatedUser))
        {
            return "auth:" + request.AuthenticatedUser.Trim().ToLowerInvariant();
        }

        if (!string.IsNullOrWhiteSpace(request.MailFrom))
        {
            return Normalize(request.MailFrom);
        }

        return report.From.Mailboxes.FirstOrDefault()?.Address is { Length: > 0 } from ? Normalize(from) : "unknown";
    }

    /// <summary>
    /// Lower case, without angle brackets and spaces (RFC 5321 local parts are case-sensitive in theory only).
    /// </summary>
    private static string Normalize(string address) => address.Trim().Trim('<', '>').Trim().ToLowerInvariant();
}
