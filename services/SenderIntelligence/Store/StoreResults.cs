namespace Gateway.SenderIntelligence.Store;

public enum ConnectStatus
{
    Admitted = 0,
    PoorReputation = 1,
    TooManyConcurrent = 2,
    TooManyConnections = 3,
}

public enum MailStatus
{
    Admitted = 0,
    PoorReputation = 1,
    TooManyPerConnection = 2,
    TooManyPerHour = 3,
    TooManyBytes = 4,
}

public enum RcptStatus
{
    Admitted = 0,
    UnknownCounted = 1,
    TooManyRecipients = 2,
}

/// <summary>The connect script's answer.</summary>
public sealed record ConnectResult(ConnectStatus Status, long ActiveLeases, double RecentConnections,
    SenderStanding Standing);

/// <summary>The MAIL script's answer.</summary>
public sealed record MailResult(
    MailStatus Status,
    long SessionMessages,
    double MessagesThisHour,
    double BytesThisHour,
    double DomainReputation);

/// <summary>The RCPT script's answer; the window counts feed the directory-harvest test.</summary>
public sealed record RcptResult(RcptStatus Status, long Recipients, double UnknownInWindow, double TriedInWindow);

/// <summary>The end-of-data script's answer; <see cref="Standing"/> is null when the message was not counted.</summary>
public sealed record EndOfDataResult(bool OverByteLimit, double BytesThisHour, SenderStanding? Standing,
    double DomainReputation);

/// <summary>An outcome's effect: the reputations after it and the address's standing.</summary>
public sealed record OutcomeResult(SenderStanding Standing, double DomainReputation);

/// <summary>Everything stored about one subject, for <c>show</c>.</summary>
public sealed record StoredProfile(
    IReadOnlyDictionary<string, string> Fields,
    double Reputation,
    double NetworkReputation,
    IReadOnlyList<string> History,
    long OpenConnections);
