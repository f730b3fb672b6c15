using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gateway.Cluster.Tests.Support;

/// <summary>
/// One cluster service running as its own process (<c>dotnet the-service.dll</c>), configured through
/// environment variables, its output kept for the test log. Stopped by its PID: SIGTERM, or SIGKILL; after it
/// exited it can be started again with the same ports and settings (<see cref="Restart"/>).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private Process _process;

    private ServiceProcess(string name, string dll, int httpPort, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        _dll = dll;
        HttpPort = httpPort;
        _environment = new Dictionary<string, string>(environment);
        _process = Launch();
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public int HttpPort { get; }

    public bool HasExited => _process.HasExited;

    public IEnumerable<string> Output => _output;

    /// <summary>How often <see cref="Restart"/> started the service again.</summary>
    public int Restarts { get; private set; }

    public static ServiceProcess Start(
        string name, string dll, int httpPort, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{name}: {dll} is not built", dll);
        }

        return new ServiceProcess(name, dll, httpPort, environment);
    }

    /// <summary>Starts the service again, same ports and settings, once its process has exited.</summary>
    public void Restart()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException($"{Name} (pid {_process.Id}) is still running");
        }

        var old = _process;
        Restarts++;
        Keep($"--- restart {Restarts} ---");
        _process = Launch();
        old.Dispose();
    }

    private Process Launch()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { _dll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_dll)!,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Name} did not start");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until <c>/healthz/ready</c> answers 200; throws with the service's output otherwise.</summary>
    public Task WaitReadyAsync(TimeSpan timeout) => WaitHealthyAsync("ready", timeout);

    /// <summary>Waits until <c>/healthz/live</c> answers 200: the process serves, whatever its dependencies.</summary>
    public Task WaitLiveAsync(TimeSpan timeout) => WaitHealthyAsync("live", timeout);

    private async Task WaitHealthyAsync(string check, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{HttpPort}/healthz/{check}");
                last = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException)
            {
                last = "timeout";
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} not {check} after {timeout}: {last}\n{Tail()}");
    }

    /// <summary>SIGKILL by PID: no shutdown code runs, as when a pod is lost.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM by PID, then SIGKILL if it has not stopped in time.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = SendSignal(_process.Id, SigTerm);
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public string Tail(int lines = 60) => string.Join('\n', _output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue($"[{Name}] {line}");
        while (_output.Count > 5000 && _output.TryDequeue(out _))
        {
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
