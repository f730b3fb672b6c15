using System.Net;
using Gateway.SenderIntelligence.Subjects;

namespace Gateway.SenderIntelligence.Store;

/// <summary>
/// The shared state of the tier: profiles, counters, leases, reputation, administrator decisions and tier
/// histories. Every check is one atomic script and one round trip; the Redis store shares it between every node.
/// Every method throws <see cref="StackExchange.Redis.RedisException"/> (or a <see cref="TimeoutException"/>) when
/// the store fails or cannot be reached.
/// </summary>
public interface ISenderStore
{
    Task<SenderStanding> ReadStandingAsync(IPAddress client, DateTimeOffset now, ReputationParameters? reputation);

    Task<double> ReadDomainReputationAsync(string domain, DateTimeOffset now, ReputationParameters? reputation);

    /// <summary>Checks reputation, concurrency and connection rate, and takes a lease, all as one step.</summary>
    Task<ConnectResult> ConnectAsync(ConnectArgs args);

    /// <summary>Removes a lease; removing one that expired or never existed is not an error.</summary>
    Task ReleaseAsync(IPAddress client, string leaseId);

    Task<MailResult> MailAsync(MailArgs args);

    Task<RcptResult> RcptAsync(RcptArgs args);

    Task<EndOfDataResult> EndOfDataAsync(EndOfDataArgs args);

    /// <summary>Records an outcome (and releases and forgets what it names); null when the count was 0.</summary>
    Task<OutcomeResult?> RecordOutcomeAsync(OutcomeArgs args);

    /// <summary>
    /// Moves the address's dynamic tier if it still is the expected one; false when it changed meanwhile.
    /// </summary>
    Task<bool> TransitionAsync(TransitionArgs args);

    /// <summary>All administrator decisions: subject key to encoded <see cref="Admin.OverrideEntry"/>.</summary>
    Task<IReadOnlyDictionary<string, string>> ReadOverridesAsync();

    /// <summary>
    /// Sets (or, with a null value, removes) the decision for a subject and records the history entry; with
    /// <paramref name="expected"/> only if the current value is that one.
    /// </summary>
    Task<bool> SetOverrideAsync(SenderSubject subject, string? value, string historyEntry, string? expected = null);

    /// <summary>Forgets the subject's decision, profile, counters and reputation; records the history entry.</summary>
    Task ResetAsync(SenderSubject subject, string historyEntry);

    Task<StoredProfile> ReadProfileAsync(SenderSubject subject, DateTimeOffset now, ReputationParameters? reputation);
}
