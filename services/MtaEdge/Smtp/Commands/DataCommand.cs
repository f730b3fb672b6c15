using Gateway.MtaEdge.Smtp.Message;
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

        await session.ReplyAsync(SmtpReplies.StartData);
        var decoder = new DataDecoder(session.Options.MaxMessageBytes, session.Options.MaxTextLineBytes);
        if (!await session.ReadDataAsync(decoder))
        {
            // The client went away mid-message: nothing was acknowledged, nothing is kept.
            session.State = SmtpSessionState.Closed;
            session.EndReason = "client closed during DATA";
            return;
        }

        var transaction = session.Transaction!;
        session.ResetTransaction();

        IntakeOutcome outcome;
        using (var processing = session.CreateProcessingTimeout())
        {
            outcome = await session.Context.Intake.AcceptAsync(
                new IntakeRequest(session.Id, session.ClientAddress, session.Helo, session.Extended, transaction),
                decoder,
                processing.Token);
        }

        if (outcome.Stored)
        {
            session.MessagesAccepted++;
        }
        else
        {
            session.MessagesRefused++;
        }

        await session.ReplyAsync(outcome.Reply);
    }
}
