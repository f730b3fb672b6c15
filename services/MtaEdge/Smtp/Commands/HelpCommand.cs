using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>HELP (RFC 5321 4.1.1.8); counts as a command without progress.</summary>
internal sealed class HelpCommand : ISmtpCommand
{
    private static readonly SmtpReply Help =
        new(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS");

    public async ValueTask ExecuteAsync(SmtpSession session, string argument)
    {
        if (await session.CountNoProgressAsync())
        {
            await session.ReplyAsync(Help);
        }
    }
}
