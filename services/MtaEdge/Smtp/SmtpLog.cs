using System.Net;
using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Smtp;

/// <summary>
/// Log events of the SMTP listener. Event names are a contract with log queries. Client-caused
/// outcomes are Information or Debug, server faults Error. Message bodies and addresses are never
/// logged; client text (the HELO name) goes through <see cref="LogText.Escape"/> first.
/// </summary>
internal static partial class SmtpLog
{
    [LoggerMessage(EventId = 100, EventName = "SmtpListening", Level = LogLevel.Information,
        Message = "SMTP listening on {Endpoint} ({Kind})")]
    public static partial void Listening(ILogger logger, IPEndPoint endpoint, string kind);

    [LoggerMessage(EventId = 101, EventName = "SmtpStopping", Level = LogLevel.Information,
        Message = "SMTP stopping: {Sessions} sessions open")]
    public static partial void Stopping(ILogger logger, int sessions);

    [LoggerMessage(EventId = 102, EventName = "SmtpAcceptFailed", Level = LogLevel.Error,
        Message = "SMTP accept failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 103, EventName = "SmtpTooManySessions", Level = LogLevel.Warning,
        Message = "SMTP connection from {Client} refused: {Limit} sessions open")]
    public static partial void TooManySessions(ILogger logger, string client, int limit);

    [LoggerMessage(EventId = 110, EventName = "SmtpSessionEnded", Level = LogLevel.Information,
        Message = "SMTP session {SessionId} from {Client} helo={Helo} tls={Tls} proxy={Proxy} ended: " +
                  "{Accepted} accepted, {Refused} refused, {DurationMs} ms, {End}")]
    public static partial void SessionEnded(
        ILogger logger, string sessionId, string client, string helo, string tls, string proxy, int accepted,
        int refused, long durationMs, string end);

    [LoggerMessage(EventId = 111, EventName = "SmtpConnectRefused", Level = LogLevel.Information,
        Message = "SMTP session {SessionId} from {Client} refused at connect: {Code} {Reason}")]
    public static partial void ConnectRefused(ILogger logger, string sessionId, string client, int code, string reason);

    [LoggerMessage(EventId = 112, EventName = "SmtpConnectCheckFailed", Level = LogLevel.Error,
        Message = "SMTP session {SessionId}: the sender check failed; deferring the client")]
    public static partial void ConnectCheckFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 113, EventName = "SmtpReleaseFailed", Level = LogLevel.Warning,
        Message = "SMTP session {SessionId}: releasing the connection lease failed (it expires by itself)")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 114, EventName = "SmtpSessionFailed", Level = LogLevel.Error,
        Message = "SMTP session {SessionId} failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(EventId = 115, EventName = "SmtpTooManyErrors", Level = LogLevel.Information,
        Message = "SMTP session {SessionId} closed after {Errors} protocol errors")]
    public static partial void TooManyErrors(ILogger logger, string sessionId, int errors);

    [LoggerMessage(EventId = 116, EventName = "SmtpProtocolError", Level = LogLevel.Debug,
        Message = "SMTP session {SessionId}: {Code} {EnhancedCode} {Text}")]
    public static partial void ProtocolError(
        ILogger logger, string sessionId, int code, string enhancedCode, string text);

    [LoggerMessage(EventId = 117, EventName = "SmtpNoProgress", Level = LogLevel.Information,
        Message = "SMTP session {SessionId} closed after {Commands} commands without progress")]
    public static partial void NoProgress(ILogger logger, string sessionId, int commands);

    [LoggerMessage(EventId = 118, EventName = "SmtpEarlyTalker", Level = LogLevel.Information,
        Message = "SMTP session {SessionId} from {Client} refused: it talked before the greeting")]
    public static partial void EarlyTalker(ILogger logger, string sessionId, string client);

    [LoggerMessage(EventId = 124, EventName = "SmtpProxyUntrusted", Level = LogLevel.Warning,
        Message = "SMTP session {SessionId}: {Peer} is not a trusted proxy; disconnected")]
    public static partial void ProxyUntrusted(ILogger logger, string sessionId, string peer);

    [LoggerMessage(EventId = 125, EventName = "SmtpProxyHeaderInvalid", Level = LogLevel.Warning,
        Message = "SMTP session {SessionId}: proxy {Peer} sent no valid PROXY header ({Error}); disconnected")]
    public static partial void ProxyHeaderInvalid(ILogger logger, string sessionId, string peer, string error);

    [LoggerMessage(EventId = 126, EventName = "SmtpProxyAccepted", Level = LogLevel.Debug,
        Message = "SMTP session {SessionId}: proxy {Peer} forwards client {Client} (PROXY v{Version})")]
    public static partial void ProxyAccepted(ILogger logger, string sessionId, string peer, string client, int version);

    [LoggerMessage(EventId = 127, EventName = "SmtpTlsHandshakeFailed", Level = LogLevel.Information,
        Message = "SMTP session {SessionId}: TLS handshake failed: {Error}")]
    public static partial void TlsHandshakeFailed(ILogger logger, string sessionId, string error);

    [LoggerMessage(EventId = 128, EventName = "SmtpPipelinedBeforeTls", Level = LogLevel.Information,
        Message = "SMTP session {SessionId}: {Octets} octets sent after STARTTLS, before the handshake, discarded")]
    public static partial void PipelinedBeforeTls(ILogger logger, string sessionId, int octets);

    [LoggerMessage(EventId = 120, EventName = "SmtpMessageQueued", Level = LogLevel.Information,
        Message = "SMTP session {SessionId}: queued {QueueId}, {Size} octets, {Recipients} recipients")]
    public static partial void MessageQueued(
        ILogger logger, string sessionId, string queueId, long size, int recipients);

    [LoggerMessage(EventId = 121, EventName = "SmtpMessageRefused", Level = LogLevel.Information,
        Message = "SMTP session {SessionId}: message {QueueId} not accepted ({Reason}): {Code} {EnhancedCode}")]
    public static partial void MessageRefused(
        ILogger logger, string sessionId, string queueId, string reason, int code, string enhancedCode);

    [LoggerMessage(EventId = 122, EventName = "SmtpFilterFailed", Level = LogLevel.Error,
        Message = "SMTP session {SessionId}: fingerprint scan of {QueueId} failed; deferring the message")]
    public static partial void FilterFailed(ILogger logger, Exception exception, string sessionId, string queueId);

    [LoggerMessage(EventId = 123, EventName = "SmtpSpoolFailed", Level = LogLevel.Error,
        Message = "SMTP session {SessionId}: storing {QueueId} failed; deferring the message")]
    public static partial void SpoolFailed(ILogger logger, Exception exception, string sessionId, string queueId);
}
