using Gateway.Testing;

namespace Gateway.Reliability.Tests.Harness;

/// <summary>
/// Prints the figures a reliability test measured: to the test output (shown in the trx and with
/// <c>--logger "console;verbosity=detailed"</c>) and appended to <c>TestResults/reliability-figures.txt</c>,
/// so a run of tools/test.sh leaves them in one place.
/// </summary>
public static class Figures
{
    private static readonly Lock Gate = new();

    public static void Print(ITestOutputHelper output, string test, string line)
    {
        var text = $"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z {test}: {line}";
        output.WriteLine(text);
        Console.Error.WriteLine("reliability: " + text);
        var dir = Environment.GetEnvironmentVariable("GATEWAY_TEST_RESULTS")
            ?? (TestEnvironment.RepositoryRoot is { } root ? Path.Combine(root, "TestResults") : null);
        if (dir is null)
        {
            return;
        }

        lock (Gate)
        {
            try
            {
                Directory.CreateDirectory(dir);
                File.AppendAllText(Path.Combine(dir, "reliability-figures.txt"), text + Environment.NewLine);
            }
            catch (IOException)
            {
                // Figures are a convenience; the assertions decide the result.
            }
        }
    }
}
