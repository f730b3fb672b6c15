namespace Gateway.FingerprintFilter.Host.Events;

/// <summary>Log events of the fingerprint filter service's Kafka publisher (event ids 7330-7339).</summary>
internal static partial class FingerprintEventsLog
{
    [LoggerMessage(EventId = 7330, EventName = "FingerprintEventPublished", Level = LogLevel.Information,
        Message = "Fingerprint event {EventId} ({Kind}, {FingerprintCount} fingerprints) published for remediation")]
    public static partial void Published(ILogger logger, string eventId, string kind, int fingerprintCount);
}
