using System.Diagnostics;
using System.Net.Sockets;

namespace Gateway.Reliability.Tests.Harness;

/// <summary>A throw-away redis-server of the test's own on a fixed loopback port, stopped and started at will.</summary>
public sealed class RedisServerProcess(int port, string dir) : IDisposable
{
    private Process? _process;

    public int Port { get; } = port;

    public async Task StartAsync()
    {
        Directory.CreateDirectory(dir);
        var info = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dir,
        };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly",
            "no", "--dir", dir })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("redis-server did not listen on " + Port);
    }

    /// <summary>SIGKILL by its process id: the store vanishes mid-conversation.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();
}
