using Gateway.Ctl.Api;
using Gateway.Ctl.Commands;
using Gateway.Ctl.Input;
using Gateway.V1;

namespace Gateway.Ctl.Cli;

/// <summary>
/// The whole program behind Main, with its console and environment passed in so tests can run it
/// in-process. Returns the exit code (see <see cref="ExitCodes"/>).
/// </summary>
public static class GatewayctlApp
{
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        Func<string, string?> environment,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var line = CommandLineParser.Parse(args);
            if (line.Help)
            {
                await stdout.WriteLineAsync(HelpText.Usage).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            if (line.Words.Count == 0)
            {
                throw new UsageException("no command given.");
            }

            var (run, operands) = Select(line);
            if ((line.Since is not null || line.Limit is not null)
                && !(line.Words.Count >= 2 && line.Words[0] == "remediation" && line.Words[1] == "list"))
            {
                throw new UsageException("--since and --limit go with \"remediation list\" only.");
            }

            var endpoint = AdminEndpoint.Resolve(line, environment);
            using var api = new AdminApiClient(endpoint);
            var context = new CommandContext(api, operands, line.Json, stdout, stderr, cancellationToken)
            {
                Since = line.Since,
                Limit = line.Limit,
            };
            return await run(context).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"gatewayctl: {e.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync("Run \"gatewayctl --help\" for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (InputFileException e)
        {
            await stderr.WriteLineAsync($"gatewayctl: {e.Message}").ConfigureAwait(false);
            return ExitCodes.InputFile;
        }
        catch (AdminApiException e)
        {
            await stderr.WriteLineAsync($"gatewayctl: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("gatewayctl: interrupted.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
    }

    private static (Func<CommandContext, Task<int>> Run, IReadOnlyList<string> Operands) Select(CommandLine line)
    {
        var words = line.Words;
        var rest = words.Skip(1).ToList();
        if (words[0] != "sender" && (line.Until is not null || line.Reason is not null))
        {
            throw new UsageException("--until and --reason are options of the sender commands.");
        }

        switch (words[0])
        {
            case "report":
                if (rest.Count == 0 || (rest[0] != "spam" && rest[0] != "ham"))
                {
                    throw new UsageException("report needs \"spam\" or \"ham\", then the message files.");
                }

                var kind = rest[0] == "spam" ? ReportKind.Spam : ReportKind.Ham;
                return (c => ReportCommand.RunAsync(kind, c), rest.Skip(1).ToList());
            case "deliveries":
                return (DeliveriesCommand.RunAsync, rest);
            case "queue":
                return (QueueCommand.RunAsync, rest);
            case "remediation":
                return rest.FirstOrDefault() switch
                {
                    "list" => (RemediationListCommand.RunAsync, rest.Skip(1).ToList()),
                    "show" => (RemediationShowCommand.RunAsync, rest.Skip(1).ToList()),
                    _ => throw new UsageException("remediation needs \"list\" or \"show\"."),
                };
            case "sender":
                return SenderCommands.Select(line, rest);
            default:
                throw new UsageException($"unknown command \"{words[0]}\".");
        }
    }
}
