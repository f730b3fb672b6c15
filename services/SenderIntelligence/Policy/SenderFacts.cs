using System.Net;

namespace Gateway.SenderIntelligence.Policy;

/// <summary>
/// What is known about a sender when a rule is evaluated. At connect <see cref="Helo"/> and
/// <see cref="SenderDomain"/> are null, so rules that test them do not match there; from MAIL on they are set
/// (<see cref="SenderDomain"/> is "" for the null reverse-path).
/// </summary>
public sealed record SenderFacts(
    IPAddress Address,
    string? Helo,
    string? SenderDomain,
    double Reputation,
    TimeSpan Age);
