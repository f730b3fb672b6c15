using System.Collections.Concurrent;
using System.Net;
using Gateway.SenderIntelligence.Store;
using Gateway.SenderIntelligence.Subjects;

namespace Gateway.SenderIntelligence.Tests.Support;

/// <summary>
/// A store for tests of decisions taken around it: it records which operations were called and answers each with
/// an admitting result; tests override single operations to make the store slow, late or failing.
/// </summary>
internal class StubStore : ISenderStore
{
    public ConcurrentQueue<(string Operation, string Client)> Calls { get; } = new();

    public IEnumerable<string> Operations => Calls.Select(c => c.Operation);

    public virtual Task<SenderStanding> ReadStandingAsync(
        IPAddress client, DateTimeOffset now, ReputationParameters? reputation)
    {
        Calls.Enqueue(("standing", client.ToString()));
        return Task.FromResult(SenderStanding.New);
    }

    public virtual Task<double> ReadDomainReputationAsync(
        string domain, DateTimeOffset now, ReputationParameters? reputation)
    {
        Calls.Enqueue(("domain", domain));
        return Task.FromResult(0.0);
    }

    public virtual Task<ConnectResult> ConnectAsync(ConnectArgs args)
    {
        Calls.Enqueue(("connect", args.Client.ToString()));
        return Task.FromResult(new ConnectResult(ConnectStatus.Admitted, 1, 1, SenderStanding.New));
    }

    public virtual Task ReleaseAsync(IPAddress client, string leaseId)
    {
        Calls.Enqueue(("release:" + leaseId, client.ToString()));
        return Task.CompletedTask;
    }

    public virtual Task<MailResult> MailAsync(MailArgs args)
    {
        Calls.Enqueue(("mail", args.Client.ToString()));
        return Task.FromResult(new MailResult(MailStatus.Admitted, 1, 1, 0, 0));
    }

    public virtual Task<RcptResult> RcptAsync(RcptArgs args)
    {
        Calls.Enqueue(("rcpt", args.Client.ToString()));
        return Task.FromResult(new RcptResult(args.Unknown ? RcptStatus.UnknownCounted : RcptStatus.Admitted, 1, 0, 1));
    }

    public virtual Task<EndOfDataResult> EndOfDataAsync(EndOfDataArgs args)
    {
        Calls.Enqueue(("data", args.Client.ToString()));
        return Task.FromResult(new EndOfDataResult(false, args.Size, SenderStanding.New, 0));
    }

    public virtual Task<OutcomeResult?> RecordOutcomeAsync(OutcomeArgs args)
    {
        Calls.Enqueue(("outcome", args.Client.ToString()));
        return Task.FromResult<OutcomeResult?>(args.Count > 0 ? new OutcomeResult(SenderStanding.New, 0) : null);
    }

    public virtual Task<bool> TransitionAsync(TransitionArgs args)
    {
        Calls.Enqueue(("transition", args.Client.ToString()));
        return Task.FromResult(true);
    }

    public virtual Task<IReadOnlyDictionary<string, string>> ReadOverridesAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    public virtual Task<bool> SetOverrideAsync(
        SenderSubject subject, string? value, string historyEntry, string? expected = null) => Task.FromResult(true);

    public virtual Task ResetAsync(SenderSubject subject, string historyEntry) => Task.CompletedTask;

    public virtual Task<StoredProfile> ReadProfileAsync(
        SenderSubject subject, DateTimeOffset now, ReputationParameters? reputation) =>
        Task.FromResult(new StoredProfile(new Dictionary<string, string>(), 0, 0, [], 0));
}
