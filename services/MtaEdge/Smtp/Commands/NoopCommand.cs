using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>NOOP (RFC 5321 4.1.1.9): any argument is ignored; it counts as a command without progress.</summary>
internal sealed class NoopCommand : ISmtpCommand
{
    public async ValueTask ExecuteAsync(SmtpSession session, string argument)
    {
        if (await session.CountNoProgressAsync())
        {
            await session.ReplyAsync(SmtpReplies.Ok);
        }
    }
}
