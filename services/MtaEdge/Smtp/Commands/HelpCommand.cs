using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>HELP (RFC 5321 4.1.1.8).</summary>
internal sealed class HelpCommand : ISmtpCommand
{
    private static readonly SmtpReply Help =
        new(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP");

    public ValueTask ExecuteAsync(SmtpSession session, string argument) => session.ReplyAsync(Help);
}
