using Gateway.Contracts;
using Gateway.V1;

namespace Gateway.FingerprintFilter.Tests.Support;

/// <summary>A publisher double: records every event and answers with a fixed summary (or null, or a failure).</summary>
public sealed class RecordingEventPublisher : IFingerprintEventPublisher
{
    private readonly List<FingerprintEvent> _events = [];

    public IReadOnlyList<FingerprintEvent> Events => _events;

    /// <summary>What PublishAsync returns; null models an asynchronous (message-bus) publisher.</summary>
    public RemediationSummary? Summary { get; set; } = new() { CopiesFound = 2, CopiesActed = 2 };

    public Exception? Failure { get; set; }

    public Task<RemediationSummary?> PublishAsync(
        FingerprintEvent fingerprintEvent, CancellationToken cancellationToken)
    {
        _events.Add(fingerprintEvent.Clone());
        return Failure is null ? Task.FromResult(Summary?.Clone()) : Task.FromException<RemediationSummary?>(Failure);
    }
}
