using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Gateway.Testing;

namespace Gateway.Reliability.Tests.Harness;

/// <summary>
/// The standalone gateway as a real operating-system process (<c>dotnet gateway.dll</c>), configured only
/// through <c>Gateway__*</c> environment variables as a user would, on free loopback ports with its own
/// DataDir. It can be killed with SIGKILL by its process id and started again on the same ports and data.
/// Everything it writes to stdout and stderr is kept, across restarts, in <see cref="LogFile"/>.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly Lock _logGate = new();
    private readonly StreamWriter _log;
    private Process? _process;

    public GatewayProcess(string workDir, IDictionary<string, string>? settings = null)
    {
        WorkDir = workDir;
        DataDir = Path.Combine(workDir, "data");
        MaildirRoot = Path.Combine(workDir, "mail");
        Directory.CreateDirectory(workDir);
        SmtpPort = FreePort.Next();
        AdminPort = FreePort.Next();
        _environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Gateway__Domains__0"] = "example.test",
            ["Gateway__DataDir"] = DataDir,
            ["Gateway__Hostname"] = "gw.test",
            ["Gateway__Smtp__Listen"] = $"127.0.0.1:{SmtpPort}",
            ["Gateway__Admin__Listen"] = $"127.0.0.1:{AdminPort}",
            ["Gateway__Delivery__Target"] = "maildir:" + MaildirRoot,
            ["Gateway__Delivery__RetryInitialDelay"] = "00:00:01",
            ["Gateway__Delivery__RetryMaxDelay"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _environment[key] = value;
        }

        LogFile = Path.Combine(workDir, "gateway.log");
        _log = new StreamWriter(LogFile, append: true, Encoding.UTF8) { AutoFlush = true };
    }

    public string WorkDir { get; }

    public string DataDir { get; }

    public string MaildirRoot { get; }

    public int SmtpPort { get; }

    public int AdminPort { get; }

    public Uri AdminUrl => new($"http://127.0.0.1:{AdminPort}");

    public string LogFile { get; }

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The exit code of the last process, once it ended.</summary>
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>The largest peak resident set (VmHWM) seen in any process started so far, in KiB.</summary>
    public long PeakRssKib { get; private set; }

    /// <summary>The built gateway.dll of services/Standalone (the newest of the Debug and Release builds).</summary>
    public static string GatewayDll { get; } = FindGatewayDll();

    /// <summary>Sets or removes one environment setting for the next start.</summary>
    public void Set(string key, string? value)
    {
        if (value is null)
        {
            _environment.Remove(key);
        }
        else
        {
            _environment[key] = value;
        }
    }

    /// <summary>Starts the process and waits until the SMTP listener greets (or the process exits).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The gateway is already running.");
        }

        StartProcess();
        if (!await WaitReadyAsync(timeout ?? TimeSpan.FromSeconds(60)))
        {
            var exit = _process!.HasExited ? $"it exited with {_process.ExitCode}" : "it is still running";
            throw new InvalidOperationException(
                $"The gateway did not greet on port {SmtpPort} ({exit}); last log lines:\n{Tail(40)}");
        }
    }

    /// <summary>Starts the process without waiting for it (for tests that expect it to refuse to start).</summary>
    public void StartProcess()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = WorkDir,
        };
        info.ArgumentList.Add(GatewayDll);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";

        // The test host's own settings (e.g. a developer's Gateway__*) must not leak into the gateway.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("Gateway__",
            StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => WriteLog("out", e.Data);
        process.ErrorDataReceived += (_, e) => WriteLog("err", e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        _process = process;
        Starts++;
        WriteLog("test", $"started pid {process.Id} (start {Starts})");
    }

    /// <summary>True once the SMTP port answers with a 220 greeting; false when the process died or time ran out.</summary>
    public async Task<bool> WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is null || _process.HasExited)
            {
                return false;
            }

            if (await GreetsAsync())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>Waits for the process to exit by itself; true when it did within the timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        if (_process is null)
        {
            return true;
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL by process id: no shutdown code runs, exactly like a power cut for this process.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        SamplePeakRss();
        var pid = process.Id;
        WriteLog("test", $"SIGKILL pid {pid}");

        // Process.Kill on Linux sends SIGKILL to this one process (not its tree: there is none).
        process.Kill(entireProcessTree: false);
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>A graceful stop (SIGTERM, as systemd or docker stop sends), then SIGKILL if it hangs.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        SamplePeakRss();
        WriteLog("test", $"SIGTERM pid {process.Id}");
        if (SendSignal(process.Id, 15) && await WaitForExitAsync(TimeSpan.FromSeconds(40)))
        {
            return;
        }

        await KillAsync();
    }

    /// <summary>Reads VmHWM (peak resident set) of the running process from /proc and keeps the largest.</summary>
    public long SamplePeakRss()
    {
        if (_process is not { HasExited: false } process)
        {
            return PeakRssKib;
        }

        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kib = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    PeakRssKib = Math.Max(PeakRssKib, kib);
                }
            }
        }
        catch (IOException)
        {
            // It exited between the check and the read.
        }

        return PeakRssKib;
    }

    /// <summary>Current resident set (VmRSS) in KiB, 0 when not running.</summary>
    public long CurrentRssKib()
    {
        if (_process is not { HasExited: false } process)
        {
            return 0;
        }

        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:",
                StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Everything the processes wrote so far.</summary>
    public string ReadLog()
    {
        lock (_logGate)
        {
            _log.Flush();
        }

        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public string Tail(int lines)
    {
        var all = ReadLog().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public HttpClient AdminClient() => new() { BaseAddress = AdminUrl, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        lock (_logGate)
        {
            _log.Dispose();
        }
    }

    private async Task<bool> GreetsAsync()
    {
        try
        {
            using var tcp = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await tcp.ConnectAsync("127.0.0.1", SmtpPort, cts.Token);
            var stream = tcp.GetStream();
            var buffer = new byte[512];
            var read = await stream.ReadAsync(buffer, cts.Token);
            var greeted = read >= 3 && buffer[0] == (byte)'2' && buffer[1] == (byte)'2' && buffer[2] == (byte)'0';
            if (greeted)
            {
                await stream.WriteAsync("QUIT\r\n"u8.ToArray(), cts.Token);
            }

            return greeted;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private void WriteLog(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            try
            {
                _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{stream}] {line}");
            }
            catch (ObjectDisposedException)
            {
                // A late line after dispose.
            }
        }
    }

    private static bool SendSignal(int pid, int signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill")
        {
            ArgumentList = { "-" + signal.ToString(CultureInfo.InvariantCulture),
                pid.ToString(CultureInfo.InvariantCulture) },
            UseShellExecute = false,
        })!;
        kill.WaitForExit(5000);
        return kill.HasExited && kill.ExitCode == 0;
    }

    private static string FindGatewayDll()
    {
        var root = TestEnvironment.RepositoryRoot
            ?? throw new InvalidOperationException("Gateway.sln not found above " + AppContext.BaseDirectory);
        var candidates = new[] { "Debug", "Release" }
            .Select(c => new FileInfo(Path.Combine(root, "services", "Standalone", "bin", c, "net10.0", "gateway.dll")))
            .Where(f => f.Exists)
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .ToList();
        return candidates.Count > 0
            ? candidates[0].FullName
            : throw new InvalidOperationException("services/Standalone is not built (no bin/*/net10.0/gateway.dll)");
    }
}
