using System.Globalization;
using Gateway.Fuzz.Harnesses;
using Gateway.Fuzz.Runner;
using SharpFuzz;

namespace Gateway.Fuzz;

/// <summary>The command line of gateway-fuzz (see tools/fuzz/README.md).</summary>
public static class FuzzCommand
{
    private const string Usage =
        "usage: gateway-fuzz afl <target>\n" +
        "       gateway-fuzz mutate <target> [--seconds N] [--seed N] [--corpus DIR] [--findings DIR]\n" +
        "       gateway-fuzz repro <target> <file>...\n" +
        "       gateway-fuzz seeds <target> <dir> [--corpus DIR]\n" +
        "targets: smtp, mime, proxy, policy";

    public static int Run(string[] args)
    {
        if (args.Length < 2 || !FuzzTargets.Names.Contains(args[1]))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var name = args[1];
        var options = ParseOptions(args.Skip(2).ToArray(), out var positional);
        if (args[0] == "afl")
        {
            // Under afl-fuzz (instrumented assemblies, see fuzz.sh) this is the fork-server loop; an exception
            // escaping Run is reported as a crash. Instrumented code may only run inside Fuzzer.Run (it writes the
            // coverage map that Fuzzer.Run sets up), so the harness is created on the first input.
            var max = FuzzTargets.MaxInputBytes(name);
            IFuzzTarget? aflTarget = null;
            Fuzzer.Run(stream =>
            {
                aflTarget ??= FuzzTargets.Create(name);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                aflTarget.Run(copy.GetBuffer().AsSpan(0, (int)Math.Min(copy.Length, max)));
            });
            return 0;
        }

        using var target = FuzzTargets.Create(name);
        switch (args[0])
        {

            case "mutate":
                var seconds = int.Parse(options.GetValueOrDefault("seconds", "30"), CultureInfo.InvariantCulture);
                var seed = int.Parse(options.GetValueOrDefault("seed", "1"), CultureInfo.InvariantCulture);
                var runner = new MutationRunner(target, seed, FuzzTargets.MaxInputBytes(name));
                var report = runner.Run(
                    target.Seeds(options.GetValueOrDefault("corpus")).ToList(),
                    TimeSpan.FromSeconds(seconds),
                    options.GetValueOrDefault("findings"),
                    Console.Out);
                Console.WriteLine(report);
                foreach (var finding in report.Findings)
                {
                    Console.WriteLine($"FINDING {finding.Key} ({finding.InputBytes} bytes, saved as {finding.SavedInput})");
                }

                return report.Findings.Count == 0 ? 0 : 1;

            case "repro":
                var failed = 0;
                foreach (var file in positional)
                {
                    try
                    {
                        target.Run(File.ReadAllBytes(file));
                        Console.WriteLine($"ok      {file}");
                    }
                    catch (Exception ex)
                    {
                        failed++;
                        Console.WriteLine($"FAILED  {file}\n{ex}");
                    }
                }

                return failed == 0 ? 0 : 1;

            case "seeds":
                if (positional.Count != 1)
                {
                    Console.Error.WriteLine(Usage);
                    return 2;
                }

                Directory.CreateDirectory(positional[0]);
                var i = 0;
                foreach (var seedInput in target.Seeds(options.GetValueOrDefault("corpus")))
                {
                    if (seedInput.Length <= FuzzTargets.MaxInputBytes(name))
                    {
                        File.WriteAllBytes(Path.Combine(positional[0], $"seed-{i++:D4}"), seedInput);
                    }
                }

                Console.WriteLine($"{i} seeds written to {positional[0]}");
                return 0;

            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    private static Dictionary<string, string> ParseOptions(string[] args, out List<string> positional)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        positional = [];
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                options[args[i][2..]] = args[++i];
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        return options;
    }
}
