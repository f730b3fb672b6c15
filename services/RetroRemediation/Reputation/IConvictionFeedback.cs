namespace Gateway.RetroRemediation.Reputation;

/// <summary>
/// Where retro-remediation tells sender intelligence that mail it delivered turned out to be spam: in-process in
/// the standalone gateway, a Kafka reputation outcome in cluster mode. Best effort: a failure is logged, and the
/// remediation itself goes on.
/// </summary>
public interface IConvictionFeedback
{
    Task ReportAsync(ConvictedMessage message, CancellationToken cancellationToken);
}
