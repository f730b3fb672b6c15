using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>RSET (RFC 5321 4.1.1.5): drops the transaction, keeps the session.</summary>
internal sealed class RsetCommand : ISmtpCommand
{
    private static readonly SmtpReply Syntax = new(501, "5.5.4", "Syntax: RSET takes no argument");

    public async ValueTask ExecuteAsync(SmtpSession session, string argument)
    {
        if (argument.Length > 0)
        {
            await session.ErrorAsync(Syntax);
            return;
        }

        if (!await session.CountNoProgressAsync())
        {
            return;
        }

        session.ResetTransaction();
        await session.ReplyAsync(SmtpReplies.Ok);
    }
}
