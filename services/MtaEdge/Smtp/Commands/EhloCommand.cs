using System.Globalization;
using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>
/// EHLO (RFC 5321 4.1.1.1): starts the session over, ends any transaction, and lists the extensions.
/// Its 250 carries no enhanced status code: RFC 2034 section 3 leaves EHLO replies out, and
/// extension keywords must start each line.
/// </summary>
internal sealed class EhloCommand : ISmtpCommand
{
    private static readonly SmtpReply Syntax = new(501, "5.5.4", "Syntax: EHLO hostname");

    public async ValueTask ExecuteAsync(SmtpSession session, string argument)
    {
        if (!HelloArgument.IsValid(argument))
        {
            await session.ErrorAsync(Syntax);
            return;
        }

        // A second hello moves nothing forward.
        if (session.Helo.Length > 0 && !await session.CountNoProgressAsync())
        {
            return;
        }

        session.ResetTransaction();
        session.Helo = argument;
        session.Extended = true;
        session.State = SmtpSessionState.Ready;

        var lines = new List<string>(10)
        {
            session.Context.Host,
            "PIPELINING",
            "SIZE " + session.Options.MaxMessageBytes.ToString(CultureInfo.InvariantCulture),
            "8BITMIME",
            "ENHANCEDSTATUSCODES",
            "SMTPUTF8",
            "CHUNKING",
            "DSN",
        };

        // RFC 3207 section 4.2: not offered again once the session is in TLS.
        if (session.CanStartTls)
        {
            lines.Add("STARTTLS");
        }

        await session.ReplyAsync(new SmtpReply(250, "", lines));
    }
}
