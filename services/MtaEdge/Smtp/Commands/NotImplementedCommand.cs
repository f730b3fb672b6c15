using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>A verb the edge recognises but does not offer: 502 5.5.1 (RFC 5321 4.2.4).</summary>
internal sealed class NotImplementedCommand : ISmtpCommand
{
    public static readonly NotImplementedCommand Instance = new();

    public ValueTask ExecuteAsync(SmtpSession session, string argument) =>
        session.ErrorAsync(SmtpReplies.NotImplemented);
}
