using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>
/// VRFY (RFC 5321 3.5.3): 252, which confirms nothing, so the edge cannot be used to harvest
/// addresses.
/// </summary>
internal sealed class VrfyCommand : ISmtpCommand
{
    private static readonly SmtpReply Syntax = new(501, "5.5.4", "Syntax: VRFY address");

    public async ValueTask ExecuteAsync(SmtpSession session, string argument)
    {
        if (argument.Length == 0)
        {
            await session.ErrorAsync(Syntax);
            return;
        }

        if (await session.CountNoProgressAsync())
        {
            await session.ReplyAsync(SmtpReplies.CannotVerify);
        }
    }
}
