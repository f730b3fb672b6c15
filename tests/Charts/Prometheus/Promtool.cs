using Gateway.Charts.Tests.Rendering;

namespace Gateway.Charts.Tests.Prometheus;

/// <summary>Runs Debian's promtool (package prometheus, installed by tools/test.sh).</summary>
public static class Promtool
{
    public static string Path => ProcessRunner.Which("promtool")
        ?? throw new InvalidOperationException("promtool is missing: apt-get install prometheus (tools/test.sh does)");

    public static Task<ProcessRunner.Result> RunAsync(string workingDirectory, params string[] arguments) =>
        ProcessRunner.RunAsync(Path, arguments, workingDirectory, TimeSpan.FromMinutes(2));
}
