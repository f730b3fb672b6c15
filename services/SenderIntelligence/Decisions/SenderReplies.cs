using System.Net;
using Gateway.V1;
using Action = Gateway.V1.Action;

namespace Gateway.SenderIntelligence.Decisions;

/// <summary>
/// The connect-time verdicts of this tier and their SMTP replies. At connection opening a server refuses with
/// 554 (RFC 5321 §3.1) or, when it is only temporarily unable, 421 (RFC 5321 §4.2.3); enhanced codes follow
/// RFC 3463 (X.7.x security or policy, X.3.x mail system).
/// </summary>
public static class SenderReplies
{
    public const string ReasonBlockList = "blocklist";
    public const string ReasonAllowList = "allowlist";
    public const string ReasonConcurrency = "concurrency";
    public const string ReasonWithinLimits = "within-limits";
    public const string ReasonFailOpen = "fail-open";
    public const string ReasonStoreUnavailable = "store-unavailable";
    public const string ReasonInvalidClientAddress = "invalid-client-address";

    public static ConnectDecision Blocked(IPAddress client) => Refuse(
        Action.Reject, 554, "5.7.1", $"Access denied: {client} is blocked by local policy", ReasonBlockList);

    public static ConnectDecision TooManyConnections(IPAddress client) => Refuse(
        Action.Tempfail, 421, "4.7.0", $"Too many concurrent connections from {client}", ReasonConcurrency);

    public static ConnectDecision StoreUnavailable() => Refuse(
        Action.Tempfail, 421, "4.3.0", "Service temporarily unavailable, try again later", ReasonStoreUnavailable);

    public static ConnectDecision InvalidClientAddress() => Refuse(
        Action.Tempfail, 421, "4.3.0", "Cannot determine the client address, try again later",
        ReasonInvalidClientAddress);

    public static ConnectDecision AllowListed() => new()
    {
        Verdict = new Verdict { Action = Action.Accept, Reason = ReasonAllowList },
        AllowListed = true,
    };

    public static ConnectDecision Accepted(string leaseId) => new()
    {
        Verdict = new Verdict { Action = Action.Accept, Reason = ReasonWithinLimits },
        LeaseId = leaseId,
    };

    /// <summary>Accepted although the limit could not be checked; no lease was taken.</summary>
    public static ConnectDecision AcceptedFailOpen() => new()
    {
        Verdict = new Verdict { Action = Action.Accept, Reason = ReasonFailOpen },
    };

    private static ConnectDecision Refuse(Action action, int code, string enhanced, string text, string reason) =>
        new()
        {
            Verdict = new Verdict
            {
                Action = action,
                SmtpCode = code,
                EnhancedCode = enhanced,
                Text = text,
                Reason = reason,
            },
        };
}
