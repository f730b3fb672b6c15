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

        // Known verbs the edge does not offer (not advertised in EHLO; no AUTH on an inbound gateway).
        ["EXPN"] = NotImplementedCommand.Instance,
        ["TURN"] = NotImplementedCommand.Instance,
        ["ETRN"] = NotImplementedCommand.Instance,
        ["AUTH"] = NotImplementedCommand.Instance,
        ["STARTTLS"] = new StartTlsCommand(),
        ["BDAT"] = new BdatCommand(),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The command for a verb, and the verb's canonical (upper-case) name for metrics.</summary>
    public static bool TryGet(
        string verb, [NotNullWhen(true)] out ISmtpCommand? command, [NotNullWhen(true)] out string? name)
    {
        if (Commands.TryGetValue(verb, out command))
        {
            name = Names.GetValueOrDefault(verb)!;
            return true;
        }

        name = null;
        return false;
    }

    public static bool TryGet(string verb, [NotNullWhen(true)] out ISmtpCommand? command) =>
        Commands.TryGetValue(verb, out command);

    private static readonly FrozenDictionary<string, string> Names =
        Commands.Keys.ToFrozenDictionary(k => k, k => k, StringComparer.OrdinalIgnoreCase);
}
