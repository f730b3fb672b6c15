using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>HELO (RFC 5321 4.1.1.1): like EHLO, but without extensions for the rest of the session.</summary>
internal sealed class HeloCommand : ISmtpCommand
{
    private static readonly SmtpReply Syntax = new(501, "5.5.4", "Syntax: HELO hostname");

    public async ValueTask ExecuteAsync(SmtpSession session, string argument)
    {
        if (!HelloArgument.IsValid(argument))
        {
            await session.ErrorAsync(Syntax);
            return;
        }

        if (session.Helo.Length > 0 && !await session.CountNoProgressAsync())
        {
            return;
        }

        session.ResetTransaction();
        session.Helo = argument;
        session.Extended = false;
        session.State = SmtpSessionState.Ready;
        await session.ReplyAsync(new SmtpReply(250, "", session.Context.Host));
    }
}
