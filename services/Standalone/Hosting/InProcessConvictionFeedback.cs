using Gateway.Contracts;
using Gateway.RetroRemediation.Reputation;
using Gateway.V1;

namespace Gateway.Standalone.Hosting;

/// <summary>
/// Standalone's path from retro-remediation to sender intelligence: a message convicted after delivery counts
/// against its client as one convicted message, as spam recognised at the end of DATA does.
/// </summary>
public sealed class InProcessConvictionFeedback(ISenderIntelligence sender) : IConvictionFeedback
{
    public Task ReportAsync(ConvictedMessage message, CancellationToken cancellationToken) =>
        sender.RecordOutcomeAsync(new OutcomeReport
        {
            ClientIp = message.ClientIp,
            SenderDomain = message.SenderDomain,
            Kind = OutcomeKind.Convicted,
            Count = 1,
        }, cancellationToken);
}
