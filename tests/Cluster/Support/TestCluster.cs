using System.Globalization;
using Gateway.Testing;
using Gateway.Tools.KafkaMock;
using Grpc.Core;
using Xunit.Abstractions;

namespace Gateway.Cluster.Tests.Support;

/// <summary>
/// The four services as separate processes on free loopback ports, against the test Redis and Dovecot that
/// tools/test.sh starts and a Kafka mock cluster hosted in this test process. Each cluster has its own Redis
/// key prefix, so runs never see each other's state.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper _output;
    private readonly List<ServiceProcess> _services = new();
    private readonly List<EdgeInstance> _edges = new();
    private readonly string _dataDir;

    private TestCluster(ITestOutputHelper output, MockKafkaCluster kafka, string run)
    {
        _output = output;
        Kafka = kafka;
        Run = run;
        _dataDir = Path.Combine(Path.GetTempPath(), "gw-cluster-" + run);

        // Every service requires this token, as in a real deployment, so the tests exercise authenticated calls.
        Directory.CreateDirectory(_dataDir);
        GrpcTokenFile = Path.Combine(_dataDir, "grpc-token");
        File.WriteAllText(GrpcTokenFile, $"test-cluster-{run}-{Guid.NewGuid():N}\n");
    }

    /// <summary>Short id of this cluster, used in key prefixes and mailbox names.</summary>
    public string Run { get; }

    public MockKafkaCluster Kafka { get; }

    /// <summary>The file holding the gRPC bearer token every service of this cluster requires.</summary>
    public string GrpcTokenFile { get; }

    /// <summary>Metadata that authenticates a raw gRPC call to the cluster's services.</summary>
    public Metadata GrpcAuthorization =>
        new() { { "authorization", "Bearer " + File.ReadLines(GrpcTokenFile).First().Trim() } };

    public string KeyPrefix => $"gwc{Run}:";

    public int SenderIntelligenceGrpcPort { get; private set; }

    public int FingerprintFilterGrpcPort { get; private set; }

    public int RetroRemediationGrpcPort { get; private set; }

    public IReadOnlyList<EdgeInstance> Edges => _edges;

    public IEnumerable<ServiceProcess> Services => _services;

    /// <summary>Starts sender intelligence, the fingerprint filter, retro-remediation and <paramref name="edges"/>
    /// edges.</summary>
    public static async Task<TestCluster> StartAsync(ITestOutputHelper output, int edges = 1,
        IReadOnlyDictionary<string, string>? edgeSettings = null)
    {
        var kafka = MockKafkaCluster.Start();
        var cluster = new TestCluster(output, kafka, Guid.NewGuid().ToString("N")[..8]);
        try
        {
            cluster.SenderIntelligenceGrpcPort = FreePort.Next();
            cluster.FingerprintFilterGrpcPort = FreePort.Next();
            cluster.RetroRemediationGrpcPort = FreePort.Next();
            cluster.Start("sender-intelligence", ServiceBinaries.SenderIntelligence, cluster.SenderIntelligenceGrpcPort,
                new Dictionary<string, string>());
            cluster.Start("fingerprint-filter", ServiceBinaries.FingerprintFilter, cluster.FingerprintFilterGrpcPort,
                new Dictionary<string, string>());
            cluster.Start("retro-remediation", ServiceBinaries.RetroRemediation, cluster.RetroRemediationGrpcPort,
                ImapSettings());
            for (var i = 0; i < edges; i++)
            {
                cluster.StartEdge(edgeSettings);
            }

            await Task.WhenAll(cluster._services.Select(s => s.WaitReadyAsync(ReadyTimeout)));
            output.WriteLine($"cluster {cluster.Run} ready: Kafka {kafka.BootstrapServers}, "
                + string.Join(", ", cluster._services.Select(s => $"{s.Name} pid {s.Pid}")));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts only edges (no tiers), one per settings dictionary; they point their tier clients wherever the
    /// settings say. Waits until each is alive and its SMTP port accepts connections (not for readiness: an
    /// edge whose tiers do not answer is, rightly, not ready).
    /// </summary>
    public static async Task<TestCluster> StartEdgesOnlyAsync(
        ITestOutputHelper output, params IReadOnlyDictionary<string, string>[] edgeSettings)
    {
        var kafka = MockKafkaCluster.Start();
        var cluster = new TestCluster(output, kafka, Guid.NewGuid().ToString("N")[..8]);
        try
        {
            foreach (var settings in edgeSettings)
            {
                cluster.StartEdge(settings);
            }

            await Task.WhenAll(cluster._edges.Select(e => e.WaitSmtpAsync(ReadyTimeout)));
            return cluster;
        }
        catch
        {
            await cluster.DumpAndDisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more edge (not waiting for readiness).</summary>
    public EdgeInstance StartEdge(IReadOnlyDictionary<string, string>? settings = null)
    {
        var index = _edges.Count;
        var smtpPort = FreePort.Next();
        var environment = new Dictionary<string, string>(ImapSettings())
        {
            ["Gateway__DataDir"] = Path.Combine(_dataDir, "edge-" + index),
            ["Gateway__Smtp__Listen"] = $"127.0.0.1:{smtpPort}",
            ["Gateway__Delivery__Target"] = "lmtp://" + TestEnvironment.Require(TestEnvironment.LmtpVariable),
            ["Gateway__Delivery__RetryInitialDelay"] = "00:00:01",
            ["Gateway__Delivery__RetryMaxDelay"] = "00:00:02",
            ["Gateway__Delivery__ConnectTimeout"] = "00:00:05",
            ["Gateway__Delivery__CommandTimeout"] = "00:00:30",
            ["Gateway__Delivery__Kafka__OwnerHeartbeat"] = "00:00:01",
            ["Gateway__Delivery__Kafka__OwnerTimeout"] = "00:00:04",
            ["Gateway__Cluster__SenderIntelligence__Address"] = $"http://127.0.0.1:{SenderIntelligenceGrpcPort}",
            ["Gateway__Cluster__FingerprintFilter__Address"] = $"http://127.0.0.1:{FingerprintFilterGrpcPort}",
            ["Gateway__Cluster__RetroRemediation__Address"] = $"http://127.0.0.1:{RetroRemediationGrpcPort}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var process = Start("mta-edge-" + index, ServiceBinaries.MtaEdge, FreePort.Next(), environment);
        var edge = new EdgeInstance(process, smtpPort);
        _edges.Add(edge);
        return edge;
    }

    /// <summary>Writes the last lines of every service's output to the test log (call when a test fails).</summary>
    public void DumpLogs(int lines = 80)
    {
        foreach (var service in _services)
        {
            _output.WriteLine(service.Tail(lines));
        }
    }

    private async Task DumpAndDisposeAsync()
    {
        DumpLogs();
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // Edges first, so nothing is mid-delivery when the tiers go.
        foreach (var edge in _edges)
        {
            await edge.Process.DisposeAsync();
        }

        await Task.WhenAll(_services.Where(s => !s.Name.StartsWith("mta-edge", StringComparison.Ordinal))
            .Select(s => s.DisposeAsync().AsTask()));
        Kafka.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private ServiceProcess Start(string name, string dll, int grpcPort, IReadOnlyDictionary<string, string> settings)
    {
        var httpPort = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["Gateway__Domains__0"] = "example.test",
            ["Gateway__Hostname"] = "gw.test",
            ["Gateway__Redis__Configuration"] = TestEnvironment.Require(TestEnvironment.RedisVariable),
            ["Gateway__Redis__KeyPrefix"] = KeyPrefix,
            ["Gateway__Kafka__BootstrapServers"] = Kafka.BootstrapServers,
            ["Gateway__Kafka__CreateTopics"] = "false",
            ["Gateway__Kafka__SessionTimeout"] = "00:00:06",
            ["Gateway__Service__GrpcListen"] = $"127.0.0.1:{grpcPort}",
            ["Gateway__Service__HttpListen"] = $"127.0.0.1:{httpPort}",
            ["Gateway__Service__GrpcTokenFile"] = GrpcTokenFile,
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var process = ServiceProcess.Start(name, dll, httpPort, environment);
        _services.Add(process);
        return process;
    }

    private static Dictionary<string, string> ImapSettings()
    {
        var (host, port) = TestEnvironment.HostPort(TestEnvironment.ImapVariable);
        return new Dictionary<string, string>
        {
            ["Gateway__Remediation__Imap__Host"] = host,
            ["Gateway__Remediation__Imap__Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Gateway__Remediation__Imap__Security"] = "None",
            ["Gateway__Remediation__Imap__MasterUser"] = TestEnvironment.Require(TestEnvironment.MasterUserVariable),
            ["Gateway__Remediation__Imap__MasterPassword"] = TestEnvironment.Require(
                TestEnvironment.MasterPasswordVariable),
        };
    }
}

/// <summary>One edge process and its SMTP port.</summary>
public sealed record EdgeInstance(ServiceProcess Process, int SmtpPort)
{
    /// <summary>Waits until the SMTP listener accepts connections (the process exiting first is an error).</summary>
    public async Task WaitSmtpAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"{Process.Name} exited:\n{Process.Tail()}");
            }

            try
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync("127.0.0.1", SmtpPort);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"{Process.Name} did not listen on SMTP port {SmtpPort}:\n{Process.Tail()}");
    }
}
