using System.Net;
using Gateway.V1;
using Action = Gateway.V1.Action;

namespace Gateway.SenderIntelligence.Decisions;

/// <summary>
/// The verdicts of this tier and their SMTP replies. At connection opening a server refuses with 554 (RFC 5321
/// §3.1) or, when it only cannot serve now, 421 (§4.2.3), which also closes the session; later a limit answers 451
/// (temporary: legitimate senders retry) and a refusal 550. Enhanced codes follow RFC 3463: X.7.0 / X.7.1 security
/// or policy, X.3.0 mail system, X.1.1 bad mailbox.
/// </summary>
public static class SenderReplies
{
    public const string ReasonBlockList = "blocklist";
    public const string ReasonAllowList = "allowlist";
    public const string ReasonConcurrency = "concurrency";
    public const string ReasonConnectionRate = "connection-rate";
    public const string ReasonWithinLimits = "within-limits";
    public const string ReasonFailOpen = "fail-open";
    public const string ReasonStoreUnavailable = "store-unavailable";
    public const string ReasonInvalidClientAddress = "invalid-client-address";
    public const string ReasonListed = "dns-list";
    public const string ReasonReputation = "reputation";
    public const string ReasonTierBlocked = "tier-blocked";
    public const string ReasonMessagesPerConnection = "messages-per-connection";
    public const string ReasonMessagesPerHour = "messages-per-hour";
    public const string ReasonBytesPerHour = "bytes-per-hour";
    public const string ReasonRecipientsPerMessage = "recipients-per-message";
    public const string ReasonHarvest = "directory-harvest";
    public const string ReasonSpamTrap = "spam-trap";
    public const string ReasonUnknownRecipient = "unknown-recipient";
    public const string ReasonCounted = "counted";

    public static Verdict Accept(string reason) => new() { Action = Action.Accept, Reason = reason };

    // At connect.
    public static Verdict Blocked(IPAddress client) => Refuse(
        Action.Reject, 554, "5.7.1", $"Access denied: {client} is blocked by local policy", ReasonBlockList);

    public static Verdict TierBlocked(IPAddress client) => Refuse(
        Action.Reject, 554, "5.7.1", $"Access denied: {client} is blocked by local policy", ReasonTierBlocked);

    /// <summary>The zones and feeds are named so the sender's administrator knows where to ask for delisting.</summary>
    public static Verdict Listed(IPAddress client, IEnumerable<string> lists) => Refuse(
        Action.Reject, 554, "5.7.1", $"Service unavailable; client [{client}] blocked using {string.Join(", ", lists)}",
        ReasonListed);

    public static Verdict PoorReputation(IPAddress client) => Refuse(
        Action.Reject, 554, "5.7.1", $"Access denied: {client} has a poor reputation here", ReasonReputation);

    public static Verdict TooManyConnections(IPAddress client) => Refuse(
        Action.Tempfail, 421, "4.7.0", $"Too many concurrent connections from {client}", ReasonConcurrency);

    public static Verdict ConnectionRate(IPAddress client) => Refuse(
        Action.Tempfail, 421, "4.7.0", $"Too many connections from {client}, slow down", ReasonConnectionRate);

    public static Verdict StoreUnavailable() => Refuse(
        Action.Tempfail, 421, "4.3.0", "Service temporarily unavailable, try again later", ReasonStoreUnavailable);

    public static Verdict InvalidClientAddress() => Refuse(
        Action.Tempfail, 421, "4.3.0", "Cannot determine the client address, try again later",
        ReasonInvalidClientAddress);

    // From MAIL on.
    public static Verdict SenderBlocked(string sender) => Refuse(
        Action.Reject, 550, "5.7.1", $"Sender {sender} is blocked by local policy", ReasonTierBlocked);

    public static Verdict SenderPoorReputation(string sender) => Refuse(
        Action.Reject, 550, "5.7.1", $"Sender {sender} has a poor reputation here", ReasonReputation);

    public static Verdict MessagesPerConnection() => Refuse(
        Action.Tempfail, 451, "4.7.1", "Too many messages in this connection, continue in a new one",
        ReasonMessagesPerConnection);

    public static Verdict MessagesPerHour() => Refuse(
        Action.Tempfail, 451, "4.7.1", "Message rate limit reached, try again later", ReasonMessagesPerHour);

    public static Verdict BytesPerHour() => Refuse(
        Action.Tempfail, 451, "4.7.1", "Data volume limit reached, try again later", ReasonBytesPerHour);

    /// <summary>
    /// Over the per-message recipient limit. RFC 5321 §4.5.3.1.10 suggests 452 for a server's own recipient
    /// buffer; this is a policy limit, answered like every other one so the client sends the rest later.
    /// </summary>
    public static Verdict RecipientsPerMessage() => Refuse(
        Action.Tempfail, 451, "4.7.1", "Too many recipients for this message, send the rest in another",
        ReasonRecipientsPerMessage);

    public static Verdict Harvest() => Refuse(
        Action.Tempfail, 451, "4.7.1", "Too many unknown recipients, try again later", ReasonHarvest);

    /// <summary>A trap answers like an unknown mailbox, so harvesters learn nothing from it.</summary>
    public static Verdict SpamTrap() => Refuse(
        Action.Reject, 550, "5.1.1", "Mailbox unavailable", ReasonSpamTrap);

    public static Verdict DeferredByTier() => Refuse(
        Action.Tempfail, 451, "4.7.1", "Sender temporarily not accepted, try again later", ReasonTierBlocked);

    public static Verdict StoreUnavailableLater() => Refuse(
        Action.Tempfail, 451, "4.3.0", "Service temporarily unavailable, try again later", ReasonStoreUnavailable);

    public static Verdict InvalidClientAddressLater() => Refuse(
        Action.Tempfail, 451, "4.3.0", "Cannot determine the client address, try again later",
        ReasonInvalidClientAddress);

    private static Verdict Refuse(Action action, int code, string enhanced, string text, string reason) => new()
    {
        Action = action,
        SmtpCode = code,
        EnhancedCode = enhanced,
        Text = text,
        Reason = reason,
    };
}
