using System.Globalization;

namespace Gateway.Ctl.Cli;

/// <summary>
/// Hand-written parser: global options may stand anywhere, as "--name value" or "--name=value";
/// "--" ends the options so a file called "-x" can still be named.
/// </summary>
public static class CommandLineParser
{
    private const int MaxTimeoutSeconds = 3600;
    private const int MaxLimit = 10_000;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine();
        var words = new List<string>();
        var optionsEnded = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || arg == "-" || !arg.StartsWith('-'))
            {
                words.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[..equals] : arg;
            string? inline = equals > 0 ? arg[(equals + 1)..] : null;

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"option {name} needs a value.");
                }

                return args[++i];
            }

            void NoValue()
            {
                if (inline is not null)
                {
                    throw new UsageException($"option {name} takes no value.");
                }
            }

            switch (name)
            {
                case "--admin":
                    result = result with { Admin = Value() };
                    break;
                case "--token":
                    result = result with { Token = Value() };
                    break;
                case "--token-file":
                    result = result with { TokenFile = Value() };
                    break;
                case "--timeout":
                    result = result with { Timeout = ParseTimeout(Value()) };
                    break;
                case "--since":
                    result = result with { Since = Value() };
                    break;
                case "--limit":
                    result = result with { Limit = ParseLimit(Value()) };
                    break;
                case "--until":
                    result = result with { Until = Value() };
                    break;
                case "--reason":
                    result = result with { Reason = Value() };
                    break;
                case "--json":
                    NoValue();
                    result = result with { Json = true };
                    break;
                case "-h":
                case "--help":
                    NoValue();
                    result = result with { Help = true };
                    break;
                default:
                    throw new UsageException($"unknown option {name}.");
            }
        }

        if (result.Token is not null && result.TokenFile is not null)
        {
            throw new UsageException("give either --token or --token-file, not both.");
        }

        return result with { Words = words };
    }

    private static int ParseLimit(string value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            || limit < 1 || limit > MaxLimit)
        {
            throw new UsageException($"--limit takes a whole number from 1 to {MaxLimit}, not \"{value}\".");
        }

        return limit;
    }

    private static TimeSpan ParseTimeout(string value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds < 1 || seconds > MaxTimeoutSeconds)
        {
            throw new UsageException($"--timeout takes whole seconds from 1 to {MaxTimeoutSeconds}, not \"{value}\".");
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
