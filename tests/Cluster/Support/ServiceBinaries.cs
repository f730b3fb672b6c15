using Gateway.Testing;

namespace Gateway.Cluster.Tests.Support;

/// <summary>Where the four services' builds are: beside their projects, in this test build's configuration.</summary>
public static class ServiceBinaries
{
    public static string MtaEdge => Path("services/MtaEdge/Host", "gateway-mta-edge");

    public static string SenderIntelligence => Path("services/SenderIntelligence/Host", "gateway-sender-intelligence");

    public static string FingerprintFilter => Path("services/FingerprintFilter/Host", "gateway-fingerprint-filter");

    public static string RetroRemediation => Path("services/RetroRemediation/Host", "gateway-retro-remediation");

    private static string Path(string project, string assembly)
    {
        var root = TestEnvironment.RepositoryRoot
            ?? throw new InvalidOperationException("Gateway.sln not found above the test binaries");

        // .../tests/Cluster/bin/<Configuration>/net10.0/ -> <Configuration>
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
        return System.IO.Path.Combine(root, project, "bin", configuration, "net10.0", assembly + ".dll");
    }
}
