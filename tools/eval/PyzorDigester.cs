using System.Diagnostics;

namespace Gateway.Eval;

/// <summary>Runs tools/eval/pyzor_digests.py (Debian's pyzor library) over many files in one process.</summary>
public static class PyzorDigester
{
    /// <returns>
    /// Digest per path ("-" when pyzor gives none) and pyzor's own digest time for all rounds, wall clock and CPU.
    /// </returns>
    public static async Task<(Dictionary<string, string> Digests, TimeSpan DigestTime, TimeSpan CpuTime)> RunAsync(
        string python, string script, IEnumerable<string> paths, int rounds, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(rounds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {python}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        foreach (var path in paths)
        {
            await process.StandardInput.WriteLineAsync(path);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        var stderr = await errors;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pyzor digests failed ({process.ExitCode}): {stderr.Trim()}");
        }

        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.LastIndexOf('\t');
            if (tab > 0)
            {
                digests[line[..tab]] = line[(tab + 1)..].Trim();
            }
        }

        // "digested N in W seconds, cpu C seconds"
        var words = (stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "").Split(' ');
        return (digests, Seconds(words, 3), Seconds(words, 6));
    }

    private static TimeSpan Seconds(string[] words, int index)
    {
        return words.Length > index && double.TryParse(words[index], System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Zero;
    }
}
