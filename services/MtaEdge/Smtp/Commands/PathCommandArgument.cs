using Gateway.MtaEdge.Smtp.Addressing;
using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>
/// The argument of MAIL and RCPT: "FROM:" or "TO:", the path, then ESMTP parameters (RFC 5321 4.1.2). Both
/// commands parse it the same way and answer the same errors, differing only in the keyword, whether the null
/// path or a bare "Postmaster" is allowed, and the enhanced code of a bad address (5.1.7 sender, 5.1.3 recipient).
/// </summary>
internal sealed record PathCommandArgument(SmtpPath Path, List<MailParameter> Parameters)
{
    /// <summary>
    /// Parses the argument; on a syntax error answers the client itself and returns null.
    /// </summary>
    public static async ValueTask<PathCommandArgument?> ParseAsync(
        SmtpSession session, string argument, string keyword, bool sender, SmtpReply syntax, SmtpReply needsEhlo)
    {
        if (!argument.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            await session.ErrorAsync(syntax);
            return null;
        }

        // RFC 5321 has no space after the colon, but enough clients send one that refusing it helps nobody.
        var position = keyword.Length;
        while (position < argument.Length && argument[position] == ' ')
        {
            position++;
        }

        if (!PathParser.TryParse(argument, ref position, allowNull: sender, allowBarePostmaster: !sender,
                out var path, out var pathError))
        {
            await session.ErrorAsync(sender
                ? new SmtpReply(501, "5.1.7", "Bad sender address syntax: " + pathError)
                : new SmtpReply(501, "5.1.3", "Bad recipient address syntax: " + pathError));
            return null;
        }

        var rest = argument[position..];
        if (rest.Length > 0 && rest[0] != ' ')
        {
            await session.ErrorAsync(syntax);
            return null;
        }

        if (!MailParameterParser.TryParse(rest, out var parameters, out var parameterError))
        {
            await session.ErrorAsync(new SmtpReply(501, "5.5.4", "Syntax error in parameters: " + parameterError));
            return null;
        }

        if (parameters.Count > 0 && !session.Extended)
        {
            await session.ErrorAsync(needsEhlo);
            return null;
        }

        return new PathCommandArgument(path, parameters);
    }
}
