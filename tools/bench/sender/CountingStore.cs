using System.Net;
using Gateway.SenderIntelligence.Store;
using Gateway.SenderIntelligence.Subjects;

namespace Gateway.Bench.Sender;

/// <summary>Counts the store round trips the checks make (each method is one script or command).</summary>
public sealed class CountingStore : ISenderStore
{
    private readonly ISenderStore _inner;
    private long _calls;

    public CountingStore(ISenderStore inner)
    {
        _inner = inner;
    }

    public long Calls => Interlocked.Read(ref _calls);

    public void Reset() => Interlocked.Exchange(ref _calls, 0);

    private T Count<T>(T value)
    {
        Interlocked.Increment(ref _calls);
        return value;
    }

    public Task<SenderStanding> ReadStandingAsync(IPAddress client, DateTimeOffset now,
        ReputationParameters? reputation) =>
        Count(_inner.ReadStandingAsync(client, now, reputation));

    public Task<double> ReadDomainReputationAsync(string domain, DateTimeOffset now,
        ReputationParameters? reputation) =>
        Count(_inner.ReadDomainReputationAsync(domain, now, reputation));

    public Task<ConnectResult> ConnectAsync(ConnectArgs args) => Count(_inner.ConnectAsync(args));

    public Task ReleaseAsync(IPAddress client, string leaseId) => Count(_inner.ReleaseAsync(client, leaseId));

    public Task<MailResult> MailAsync(MailArgs args) => Count(_inner.MailAsync(args));

    public Task<RcptResult> RcptAsync(RcptArgs args) => Count(_inner.RcptAsync(args));

    public Task<EndOfDataResult> EndOfDataAsync(EndOfDataArgs args) => Count(_inner.EndOfDataAsync(args));

    public Task<OutcomeResult?> RecordOutcomeAsync(OutcomeArgs args) => Count(_inner.RecordOutcomeAsync(args));

    public Task<bool> TransitionAsync(TransitionArgs args) => Count(_inner.TransitionAsync(args));

    public Task<IReadOnlyDictionary<string, string>> ReadOverridesAsync() => Count(_inner.ReadOverridesAsync());

    public Task<bool> SetOverrideAsync(SenderSubject subject, string? value, string historyEntry,
        string? expected = null) =>
        Count(_inner.SetOverrideAsync(subject, value, historyEntry, expected));

    public Task ResetAsync(SenderSubject subject, string historyEntry) => Count(_inner.ResetAsync(subject,
        historyEntry));

    public Task<StoredProfile> ReadProfileAsync(SenderSubject subject, DateTimeOffset now,
        ReputationParameters? reputation) =>
        Count(_inner.ReadProfileAsync(subject, now, reputation));
}
