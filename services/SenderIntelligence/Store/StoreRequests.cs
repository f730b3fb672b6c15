using System.Net;
using Gateway.SenderIntelligence.Policy;

namespace Gateway.SenderIntelligence.Store;

/// <summary>Reputation settings the scripts need; null where reputation is switched off.</summary>
public sealed record ReputationParameters(
    TimeSpan HalfLife,
    double? RejectAtOrBelow,
    double NetworkWeight,
    double DomainWeight,
    double Minimum,
    double Maximum);

public sealed record ConnectArgs(
    IPAddress Client,
    string LeaseId,
    DateTimeOffset Now,
    TimeSpan LeaseTime,
    bool TakeLease,
    SenderLimits Limits,
    ReputationParameters? Reputation);

public sealed record MailArgs(
    string SessionId,
    IPAddress Client,
    string? Domain,
    DateTimeOffset Now,
    TimeSpan SessionTime,
    SenderLimits Limits,
    long DeclaredSize,
    double AddressReputation,
    ReputationParameters? Reputation);

public sealed record RcptArgs(
    string SessionId,
    IPAddress Client,
    string? Domain,
    DateTimeOffset Now,
    TimeSpan SessionTime,
    TimeSpan HarvestWindow,
    SenderLimits Limits,
    bool Unknown,
    double UnknownDelta,
    ReputationParameters? Reputation);

public sealed record EndOfDataArgs(
    IPAddress Client,
    string? Domain,
    DateTimeOffset Now,
    long Size,
    int Recipients,
    bool Spam,
    bool EnforceByteLimit,
    SenderLimits Limits,
    double HourlyAverageWeight,
    double ReputationDelta,
    ReputationParameters? Reputation);

/// <summary>
/// An outcome to record: <paramref name="ProfileField"/> and <paramref name="TierField"/> name the profile counters
/// it increments (null for none); the lease and session are released and forgotten when given (at close).
/// </summary>
public sealed record OutcomeArgs(
    IPAddress Client,
    string? Domain,
    DateTimeOffset Now,
    int Count,
    string? ProfileField,
    string? TierField,
    double DeltaEach,
    ReputationParameters? Reputation,
    string? ReleaseLeaseId = null,
    string? ForgetSessionId = null);

public sealed record TransitionArgs(
    IPAddress Client,
    Gateway.V1.SenderTier Expected,
    Gateway.V1.SenderTier Next,
    Gateway.V1.SenderTier? RampFrom,
    DateTimeOffset Now,
    string Reason,
    string HistoryEntry);
