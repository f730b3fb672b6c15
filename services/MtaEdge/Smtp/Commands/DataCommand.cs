using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>
/// DATA (RFC 5321 4.1.1.4): 354, the message up to CRLF "." CRLF, then one reply for the whole
/// message. With no accepted recipient the reply is 554 and never 354, so a pipelining client
/// (RFC 2920 3.1) does not send its message into the command stream.
/// </summary>
internal sealed class DataCommand : ISmtpCommand
{
    private static readonly SmtpReply Syntax = new(501, "5.5.4", "Syntax: DATA takes no argument");
    private static readonly SmtpReply NeedMail = new(503, "5.5.1", "Need MAIL and RCPT before DATA");
    private static readonly SmtpReply AfterBdat =
        new(503, "5.5.1", "DATA cannot follow BDAT in the same transaction");

    public async ValueTask ExecuteAsync(SmtpSession session, string argument)
    {
        switch (session.State)
        {
            case SmtpSessionState.AwaitingHello:
                await session.ErrorAsync(SmtpReplies.HelloFirst);
                return;
            case SmtpSessionState.Ready:
                await session.ErrorAsync(NeedMail);
                return;
            case SmtpSessionState.MailGiven:
                await session.ErrorAsync(SmtpReplies.NoValidRecipients);
                return;
        }

        if (argument.Length > 0)
        {
            await session.ErrorAsync(Syntax);
            return;
        }

        // RFC 3030 section 3: one transaction uses either DATA or BDAT, never both.
        if (session.Transaction?.Chunks is not null)
        {
            await session.ErrorAsync(AfterBdat);
            return;
        }

        await session.ReplyAsync(SmtpReplies.StartData);
        var decoder = new DataDecoder(session.Options.MaxMessageBytes, session.Options.MaxTextLineBytes);
        if (!await session.ReadDataAsync(decoder))
        {
            // The client went away mid-message: nothing was acknowledged, nothing is kept.
            session.State = SmtpSessionState.Closed;
            session.EndReason = "client closed during DATA";
            return;
        }

        await session.CompleteMessageAsync(session.Transaction!, decoder);
    }
}
