using Gateway.V1;

namespace Gateway.SenderIntelligence.Tests.Support;

internal static class Requests
{
    public static ConnectRequest Connect(string clientIp, string? sessionId = null) => new()
    {
        SessionId = sessionId ?? Guid.NewGuid().ToString("N"),
        ClientIp = clientIp,
        ClientPort = 40000,
        LocalEndpoint = "127.0.0.1:25",
    };

    public static ReleaseConnectionRequest Release(string clientIp, string leaseId) => new()
    {
        SessionId = Guid.NewGuid().ToString("N"),
        ClientIp = clientIp,
        LeaseId = leaseId,
    };

    public static MailRequest Mail(
        string sessionId, string clientIp, string mailFrom = "sender@example.org", long size = 0,
        string helo = "mail.example.org") => new()
    {
        SessionId = sessionId,
        ClientIp = clientIp,
        Helo = helo,
        MailFrom = mailFrom,
        DeclaredSize = size,
    };

    public static RcptRequest Rcpt(
        string sessionId, string clientIp, string recipient, bool unknown = false,
        string mailFrom = "sender@example.org") => new()
    {
        SessionId = sessionId,
        ClientIp = clientIp,
        Helo = "mail.example.org",
        MailFrom = mailFrom,
        Recipient = recipient,
        RecipientUnknown = unknown,
    };

    public static EndOfDataRequest EndOfData(
        string sessionId, string clientIp, long size = 1000, int recipients = 1, bool spam = false,
        string mailFrom = "sender@example.org") => new()
    {
        SessionId = sessionId,
        ClientIp = clientIp,
        Helo = "mail.example.org",
        MailFrom = mailFrom,
        Recipients = recipients,
        SizeBytes = size,
        Content = spam ? ContentVerdict.Spam : ContentVerdict.Clean,
    };

    public static CloseSessionRequest Close(string sessionId, string clientIp, string leaseId,
        int protocolErrors = 0) =>
        new()
        {
            SessionId = sessionId,
            ClientIp = clientIp,
            LeaseId = leaseId,
            ProtocolErrors = protocolErrors,
        };
}
