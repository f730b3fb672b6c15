using Gateway.MtaEdge.Smtp.Addressing;
using Gateway.MtaEdge.Smtp.Message;
using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;
using Gateway.V1;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>
/// RCPT TO:&lt;forward-path&gt; [NOTIFY=...] [ORCPT=type;xtext] (RFC 5321 4.1.1.3, RFC 3461 4.1 and 4.2).
/// Only local mailboxes are accepted (see
/// <see cref="RecipientPolicy"/>); past the recipient limit the client gets 452 and sends the rest
/// in another transaction (RFC 5321 4.5.3.1.10). A repeated recipient is accepted once.
/// </summary>
internal sealed class RcptCommand : ISmtpCommand
{
    private static readonly SmtpReply Syntax = new(501, "5.5.4", "Syntax: RCPT TO:<address>");
    private static readonly SmtpReply NeedsEhlo = new(555, "5.5.4", "RCPT parameters need EHLO");
    private static readonly SmtpReply BadNotify = new(501, "5.5.4", "Syntax error in NOTIFY parameter");
    private static readonly SmtpReply BadOrcpt = new(501, "5.5.4", "Syntax error in ORCPT parameter");
    private const int MaxOriginalRecipientLength = 500;
    private static readonly SmtpReply NonAscii = new(553, "5.6.7", "Non-ASCII address needs the SMTPUTF8 parameter");

    public async ValueTask ExecuteAsync(SmtpSession session, string argument)
    {
        switch (session.State)
        {
            case SmtpSessionState.AwaitingHello:
                await session.ErrorAsync(SmtpReplies.HelloFirst);
                return;
            case SmtpSessionState.Ready:
                await session.ErrorAsync(SmtpReplies.MailFirst);
                return;
        }

        var transaction = session.Transaction!;
        if (await PathCommandArgument.ParseAsync(session, argument, "TO:", sender: false, Syntax, NeedsEhlo)
            is not { Path: var path, Parameters: var parameters })
        {
            return;
        }

        var notify = "";
        var original = "";
        foreach (var parameter in parameters)
        {
            switch (parameter.Keyword)
            {
                case "NOTIFY":
                    if (parameter.Value is null || !DsnNotify.TryParse(parameter.Value, out notify))
                    {
                        await session.ErrorAsync(BadNotify);
                        return;
                    }

                    break;

                case "ORCPT":
                    if (!TryParseOriginalRecipient(parameter.Value, out original))
                    {
                        await session.ErrorAsync(BadOrcpt);
                        return;
                    }

                    break;

                default:
                    await session.ErrorAsync(new SmtpReply(555, "5.5.4", "Unsupported parameter " + parameter.Keyword));
                    return;
            }
        }

        if (path.HasNonAscii && !transaction.SmtpUtf8)
        {
            await session.ErrorAsync(NonAscii);
            return;
        }

        // A spam trap is accepted whatever mailboxes exist: it is learned from, never delivered.
        var decision = session.Context.RecipientPolicy.Decide(path);
        var trap = !path.IsNull && path.Address.Length > 0
            && session.Context.ReportIntake?.RoleOf(decision.Address ?? path.Address) == ReportRecipientRole.Trap;
        if (!decision.IsAccepted && !trap)
        {
            await session.ErrorAsync(decision.Refusal!);
            return;
        }

        var address = decision.Address ?? path.Address;
        if (!transaction.HasRecipient(address) && transaction.Recipients.Count >= session.Options.MaxRecipients)
        {
            await session.ReplyAsync(SmtpReplies.TooManyRecipients);
            return;
        }

        // Sender intelligence after the edge's own checks: recipients per message, directory harvest,
        // spam traps. Every address in a local domain is deliverable here, so none is "unknown".
        var verdict = await session.AskSenderAsync("rcpt", (sender, cancellationToken) => sender.CheckRcptAsync(
            new RcptRequest
            {
                SessionId = session.Id,
                ClientIp = session.ClientIp,
                Helo = session.Helo,
                MailFrom = transaction.MailFrom.Address,
                Recipient = address,
                RecipientUnknown = false,
            },
            cancellationToken));
        if (verdict is null)
        {
            await session.ReplyAsync(SmtpReplies.SenderCheckFailed);
            return;
        }

        await session.TarpitAsync();
        if (verdict.Verdict?.Action != V1.Action.Accept)
        {
            await session.RefuseBySenderAsync("rcpt", verdict.Verdict);
            return;
        }

        transaction.AddRecipient(address, new RecipientDsn(notify, original));
        session.State = SmtpSessionState.RecipientsGiven;
        await session.ReplyAsync(SmtpReplies.RecipientOk);
    }

    /// <summary>ORCPT=addr-type ";" xtext (RFC 3461 4.2): kept as "type;address", decoded.</summary>
    private static bool TryParseOriginalRecipient(string? value, out string original)
    {
        original = "";
        var semicolon = value?.IndexOf(';') ?? -1;
        if (value is null || semicolon <= 0)
        {
            return false;
        }

        var type = value[..semicolon];
        if (type.Length > 32 || !type.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            || !XText.TryDecode(value[(semicolon + 1)..], out var address)
            || address.Length is 0 or > MaxOriginalRecipientLength)
        {
            return false;
        }

        original = type.ToLowerInvariant() + ";" + address;
        return true;
    }
}
