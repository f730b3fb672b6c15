using System.Globalization;
using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>
/// BDAT size [LAST] (RFC 3030 CHUNKING): the next <c>size</c> octets are message data, whatever they
/// contain. The chunk is always read to its end, even when the command is refused, so its octets can
/// never be taken for commands; only a BDAT line whose size cannot be read, or a size larger than any
/// message may be, ends the session, since the stream can then not be followed any more.
/// </summary>
internal sealed class BdatCommand : ISmtpCommand
{
    private static readonly SmtpReply Syntax =
        new(501, "5.5.4", "Syntax: BDAT chunk-size [LAST]; closing, the data cannot be skipped");
    private static readonly SmtpReply ChunkTooBig =
        new(552, "5.3.4", "Chunk larger than the message size limit; closing");
    private static readonly SmtpReply NeedMail = new(503, "5.5.1", "Need MAIL and RCPT before BDAT");

    public async ValueTask ExecuteAsync(SmtpSession session, string argument)
    {
        // Step 1: the size, which says how much to read whatever else is wrong.
        var parts = argument.Split(' ');
        if (parts.Length is < 1 or > 2
            || parts[0] is not { Length: > 0 and <= 20 } sizeText || !sizeText.All(char.IsAsciiDigit)
            || !ulong.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || (parts.Length == 2 && !parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase)))
        {
            await CloseAsync(session, Syntax, "malformed BDAT");
            return;
        }

        if (size > (ulong)session.Options.MaxMessageBytes)
        {
            await CloseAsync(session, ChunkTooBig, "BDAT chunk too large");
            return;
        }

        var last = parts.Length == 2;
        var refusal = session.State switch
        {
            SmtpSessionState.AwaitingHello => SmtpReplies.HelloFirst,
            SmtpSessionState.Ready => NeedMail,
            SmtpSessionState.MailGiven => SmtpReplies.NoValidRecipients,
            _ => null,
        };

        // Step 2: the chunk, kept or thrown away.
        var transaction = refusal is null ? session.Transaction! : null;
        var decoder = transaction is null ? null : transaction.Chunks ??= new ChunkDecoder(
            session.Options.MaxMessageBytes, session.Options.MaxTextLineBytes);
        if (!await session.ReadChunkAsync((long)size, decoder))
        {
            session.State = SmtpSessionState.Closed;
            session.EndReason = "client closed during BDAT";
            return;
        }

        if (refusal is not null)
        {
            await session.ErrorAsync(refusal);
            return;
        }

        decoder!.Chunks++;
        if (!last)
        {
            // Limits already passed are told now; the transaction fails at LAST (or the client resets).
            await session.ReplyAsync(RefusalSoFar(decoder)
                ?? new SmtpReply(250, "2.0.0", $"{size} octets received"));
            return;
        }

        // Step 3: the last chunk ends the message.
        decoder.Finish();
        await session.CompleteMessageAsync(transaction!, decoder);
    }

    private static SmtpReply? RefusalSoFar(ChunkDecoder decoder) =>
        decoder.IsTooLarge ? SmtpReplies.MessageTooBig
        : decoder.HasLongLine ? SmtpReplies.TextLineTooLong
        : decoder.HasBareLineEnd ? SmtpReplies.BareLineEndInData
        : null;

    private static async ValueTask CloseAsync(SmtpSession session, SmtpReply reply, string reason)
    {
        await session.ReplyAsync(reply);
        session.State = SmtpSessionState.Closed;
        session.EndReason = reason;
    }
}
