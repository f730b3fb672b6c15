using System.Globalization;

namespace Gateway.Reliability.Tests.Harness;

/// <summary>
/// Test parameters that the long runs in tools/reliability raise through the environment
/// (e.g. RELIABILITY_CRASH_KILLS=200); the defaults keep the suite short.
/// </summary>
public static class Settings
{
    public static int Int(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture,
            out var v)
            ? v
            : fallback;

    /// <summary>A fresh work directory under /tmp for one test (kept when the test fails, for a look).</summary>
    public static string WorkDir(string test) =>
        Path.Combine(Path.GetTempPath(), "gw-rel-" + test + "-" + Guid.NewGuid().ToString("N")[..8]);
}
