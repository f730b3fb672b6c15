using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>QUIT (RFC 5321 4.1.1.10): 221, then the server closes.</summary>
internal sealed class QuitCommand : ISmtpCommand
{
    public async ValueTask ExecuteAsync(SmtpSession session, string argument)
    {
        await session.ReplyAsync(SmtpReplies.Bye);
        session.State = SmtpSessionState.Closed;
    }
}
