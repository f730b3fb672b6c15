using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>
/// STARTTLS (RFC 3207): 220, then the TLS handshake; the session then starts over, with nothing kept
/// from before (RFC 3207 section 4.2: hello, extensions and anything the client pipelined are
/// forgotten). Offered only when a certificate is configured, and only once per session.
/// </summary>
internal sealed class StartTlsCommand : ISmtpCommand
{
    private static readonly SmtpReply Ready = new(220, "2.0.0", "Ready to start TLS");
    private static readonly SmtpReply Syntax = new(501, "5.5.4", "Syntax: STARTTLS takes no argument");
    private static readonly SmtpReply AlreadyTls = new(503, "5.5.1", "TLS already active");
    private static readonly SmtpReply InTransaction = new(503, "5.5.1", "Mail transaction in progress");

    public async ValueTask ExecuteAsync(SmtpSession session, string argument)
    {
        if (session.IsTls)
        {
            await session.ErrorAsync(AlreadyTls);
            return;
        }

        if (!session.CanStartTls)
        {
            await session.ErrorAsync(SmtpReplies.NotImplemented);
            return;
        }

        if (argument.Length > 0)
        {
            await session.ErrorAsync(Syntax);
            return;
        }

        switch (session.State)
        {
            case SmtpSessionState.AwaitingHello:
                await session.ErrorAsync(SmtpReplies.HelloFirst);
                return;
            case SmtpSessionState.MailGiven or SmtpSessionState.RecipientsGiven:
                await session.ErrorAsync(InTransaction);
                return;
        }

        await session.ReplyAsync(Ready);
        await session.StartTlsAsync();
    }
}
