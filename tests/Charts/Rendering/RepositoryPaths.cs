using Gateway.Testing;

namespace Gateway.Charts.Tests.Rendering;

/// <summary>Where the chart, the tools and the deployment files live in the repository.</summary>
public static class RepositoryPaths
{
    public static string Root => TestEnvironment.RepositoryRoot
        ?? throw new InvalidOperationException("Gateway.sln not found above the test binaries");

    public static string Chart => Path.Combine(Root, "charts", "gateway");

    public static string ChartValueSets => Path.Combine(Chart, "ci");

    public static string ChartRenderTool => Path.Combine(Root, "tools", "chart-render");

    public static string DockerfilesDir => Path.Combine(Root, "deploy", "docker");

    public static string Skaffold => Path.Combine(Root, "skaffold.yaml");

    /// <summary>The source folder of these tests (rule unit tests and fixtures are read from there).</summary>
    public static string TestsDir => Path.Combine(Root, "tests", "Charts");
}
