using System.Globalization;
using Gateway.MtaEdge.Smtp.Addressing;
using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;
using Gateway.V1;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>
/// MAIL FROM:&lt;reverse-path&gt; [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8] [RET=FULL|HDRS] [ENVID=xtext]
/// (RFC 5321 4.1.1.2, RFC 1870, RFC 6152, RFC 6531, RFC 3461). Opens a transaction.
/// </summary>
internal sealed class MailCommand : ISmtpCommand
{
    private static readonly SmtpReply Syntax = new(501, "5.5.4", "Syntax: MAIL FROM:<address>");
    private static readonly SmtpReply NeedsEhlo = new(555, "5.5.4", "MAIL parameters need EHLO");
    private static readonly SmtpReply NonAscii = new(553, "5.6.7", "Non-ASCII address needs the SMTPUTF8 parameter");
    private const int MaxEnvelopeIdLength = 100;

    public async ValueTask ExecuteAsync(SmtpSession session, string argument)
    {
        switch (session.State)
        {
            case SmtpSessionState.AwaitingHello:
                await session.ErrorAsync(SmtpReplies.HelloFirst);
                return;
            case SmtpSessionState.MailGiven or SmtpSessionState.RecipientsGiven:
                await session.ErrorAsync(SmtpReplies.NestedMail);
                return;
        }

        if (await PathCommandArgument.ParseAsync(session, argument, "FROM:", sender: true, Syntax, NeedsEhlo)
            is not { Path: var path, Parameters: var parameters })
        {
            return;
        }

        var body = "";
        var smtpUtf8 = false;
        var dsnReturn = "";
        var envelopeId = "";
        var declaredSize = 0L;
        foreach (var parameter in parameters)
        {
            switch (parameter.Keyword)
            {
                case "SIZE":
                    // RFC 1870 6: a declared size over the limit is refused now, not after the data.
                    if (parameter.Value is not { Length: > 0 and <= 20 } size || !size.All(char.IsAsciiDigit))
                    {
                        await session.ErrorAsync(new SmtpReply(501, "5.5.4", "Syntax error in SIZE parameter"));
                        return;
                    }

                    if (!ulong.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var declared)
                        || declared > (ulong)session.Options.MaxMessageBytes)
                    {
                        await session.ReplyAsync(SmtpReplies.MessageTooBig);
                        return;
                    }

                    declaredSize = (long)declared;
                    break;

                case "BODY":
                    if (string.Equals(parameter.Value, "7BIT", StringComparison.OrdinalIgnoreCase)
                        || string.Equals(parameter.Value, "8BITMIME", StringComparison.OrdinalIgnoreCase))
                    {
                        body = parameter.Value!.ToUpperInvariant();
                        break;
                    }

                    await session.ErrorAsync(new SmtpReply(501, "5.5.4", "BODY must be 7BIT or 8BITMIME"));
                    return;

                case "SMTPUTF8":
                    if (parameter.Value is not null)
                    {
                        await session.ErrorAsync(new SmtpReply(501, "5.5.4", "SMTPUTF8 takes no value"));
                        return;
                    }

                    smtpUtf8 = true;
                    break;

                case "RET":
                    // RFC 3461 4.3: how much of the message a failure report returns.
                    if (!string.Equals(parameter.Value, "FULL", StringComparison.OrdinalIgnoreCase)
                        && !string.Equals(parameter.Value, "HDRS", StringComparison.OrdinalIgnoreCase))
                    {
                        await session.ErrorAsync(new SmtpReply(501, "5.5.4", "RET must be FULL or HDRS"));
                        return;
                    }

                    dsnReturn = parameter.Value!.ToUpperInvariant();
                    break;

                case "ENVID":
                    // RFC 3461 4.4: xtext, at most 100 characters once decoded.
                    if (parameter.Value is null || !XText.TryDecode(parameter.Value, out envelopeId)
                        || envelopeId.Length is 0 or > MaxEnvelopeIdLength)
                    {
                        await session.ErrorAsync(new SmtpReply(501, "5.5.4", "Syntax error in ENVID parameter"));
                        return;
                    }

                    break;

                default:
                    // The keyword passed the esmtp-keyword grammar, so it is safe to echo.
                    await session.ErrorAsync(new SmtpReply(555, "5.5.4", "Unsupported parameter " + parameter.Keyword));
                    return;
            }
        }

        // RFC 6531 3.5: UTF-8 in an address only in a transaction that declared SMTPUTF8.
        if (path.HasNonAscii && !smtpUtf8)
        {
            await session.ErrorAsync(NonAscii);
            return;
        }

        // Sender intelligence last, once the command is known to be valid: limits, sender domain and
        // reputation. Its tarpit applies from this reply on; a failed check defers, never waves through.
        var decision = await session.AskSenderAsync("mail", (sender, cancellationToken) => sender.CheckMailAsync(
            new MailRequest
            {
                SessionId = session.Id,
                ClientIp = session.ClientIp,
                Helo = session.Helo,
                MailFrom = path.Address,
                DeclaredSize = declaredSize,
            },
            cancellationToken));
        if (decision is null)
        {
            await session.ReplyAsync(SmtpReplies.SenderCheckFailed);
            return;
        }

        session.TarpitDelay = TimeSpan.FromMilliseconds(Math.Max(0, decision.TarpitDelayMs));
        await session.TarpitAsync();
        if (decision.Verdict?.Action != V1.Action.Accept)
        {
            await session.RefuseBySenderAsync("mail", decision.Verdict);
            return;
        }

        session.Transaction = new SmtpTransaction(path, body, smtpUtf8)
        {
            DsnReturn = dsnReturn,
            DsnEnvelopeId = envelopeId,
        };
        session.State = SmtpSessionState.MailGiven;
        await session.ReplyAsync(SmtpReplies.SenderOk);
    }
}
