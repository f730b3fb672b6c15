using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>The verbs the edge knows (case-insensitive, RFC 5321 2.4).</summary>
internal static class SmtpCommandTable
{
    private static readonly FrozenDictionary<string, ISmtpCommand> Commands = new Dictionary<string, ISmtpCommand>
    {
        ["EHLO"] = new EhloCommand(),
        ["HELO"] = new HeloCommand(),
        ["MAIL"] = new MailCommand(),
        ["RCPT"] = new RcptCommand(),
        ["DATA"] = new DataCommand(),
        ["RSET"] = new RsetCommand(),
        ["NOOP"] = new NoopCommand(),
        ["QUIT"] = new QuitCommand(),
        ["VRFY"] = new VrfyCommand(),
        ["HELP"] = new HelpCommand(),

        // Known verbs of extensions the edge does not offer (not advertised in EHLO).
        ["EXPN"] = NotImplementedCommand.Instance,
        ["TURN"] = NotImplementedCommand.Instance,
        ["ETRN"] = NotImplementedCommand.Instance,
        ["AUTH"] = NotImplementedCommand.Instance,
        ["STARTTLS"] = NotImplementedCommand.Instance,
        ["BDAT"] = NotImplementedCommand.Instance,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(string verb, [NotNullWhen(true)] out ISmtpCommand? command) =>
        Commands.TryGetValue(verb, out command);
}
