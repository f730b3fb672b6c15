using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gateway.Testing;

namespace Gateway.Reliability.Tests.Faults;

/// <summary>
/// An Unbound of this test alone, serving the DNSBL test zones (tools/testenv/unbound.sh writes them) from its own
/// directory on its own port, so that it can be stopped and started again without touching the shared one that
/// other tests use. Stopped by the process id it recorded, through the script; started again on the same port from
/// the configuration the script wrote.
/// </summary>
public sealed class PrivateUnbound : IAsyncDisposable
{
    private readonly string _baseDir;
    private readonly string _script;
    private bool _running = true;

    private PrivateUnbound(string baseDir, string script, int port)
    {
        _baseDir = baseDir;
        _script = script;
        Port = port;
    }

    public int Port { get; }

    private string Dir => Path.Combine(_baseDir, "unbound");

    public static async Task<PrivateUnbound> StartAsync(string baseDir)
    {
        var root = TestEnvironment.RepositoryRoot ?? throw new InvalidOperationException("repository not found");
        var script = Path.Combine(root, "tools", "testenv", "unbound.sh");
        await RunAsync("bash", [script, "start"], baseDir);
        var port = int.Parse(await File.ReadAllTextAsync(Path.Combine(baseDir, "unbound", "port")));
        return new PrivateUnbound(baseDir, script, port);
    }

    /// <summary>Stops the server (SIGTERM to its recorded pid, by the script): queries now get no answer.</summary>
    public async Task StopAsync()
    {
        if (_running)
        {
            await RunAsync("bash", [_script, "stop"], _baseDir);
            _running = false;
        }
    }

    /// <summary>Starts it again on the same port and waits until it answers the test points correctly.</summary>
    public async Task RestartAsync()
    {
        await RunAsync("unbound", ["-c", Path.Combine(Dir, "unbound.conf")], _baseDir);
        _running = true;
        await File.WriteAllTextAsync(Path.Combine(Dir, "port"), Port + "\n");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await RunAsync("bash", [_script, "check"], _baseDir);
                return;
            }
            catch (InvalidOperationException) when (attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>
    /// Whether anything answers a DNS query on the port within a second. After a stop nothing should: another
    /// test's Unbound may take a freed port (unbound.sh picks the first free one) and serve the same zones.
    /// </summary>
    public async Task<bool> AnswersAsync()
    {
        var query = new List<byte>();
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, 0x4711);
        header[2] = 0x01; // recursion desired
        header[5] = 1; // one question
        query.AddRange(header);
        foreach (var label in "2.0.0.127.dnsbl.test".Split('.'))
        {
            query.Add((byte)label.Length);
            query.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        query.AddRange([0, 0, 1, 0, 1]); // root, type A, class IN
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendAsync(query.ToArray(), new IPEndPoint(IPAddress.Loopback, Port));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await udp.ReceiveAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task RunAsync(string file, string[] args, string baseDir)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GATEWAY_TESTENV_DIR"] = baseDir;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout}{await stderr}");
        }
    }
}
