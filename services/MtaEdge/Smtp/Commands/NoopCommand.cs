using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>NOOP (RFC 5321 4.1.1.9): any argument is ignored.</summary>
internal sealed class NoopCommand : ISmtpCommand
{
    public ValueTask ExecuteAsync(SmtpSession session, string argument) => session.ReplyAsync(SmtpReplies.Ok);
}
