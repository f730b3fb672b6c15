using System.Diagnostics;
using System.Net.Sockets;
using Gateway.Testing;

namespace Gateway.Reliability.Tests.Harness;

/// <summary>
/// Stops and starts the test Dovecot that tools/testenv/services.sh started (same configuration, so the same
/// ports, users and master password come back). Used to take the mailbox store away during a load.
/// </summary>
public static class DovecotControl
{
    public static string Config => TestEnvironment.Require(TestEnvironment.DovecotConfigVariable);

    public static int LmtpPort => TestEnvironment.HostPort(TestEnvironment.LmtpVariable).Port;

    public static async Task StopAsync()
    {
        Run("stop");
        for (var i = 0; i < 100 && await ListensAsync(); i++)
        {
            await Task.Delay(100);
        }
    }

    public static async Task StartAsync()
    {
        if (await ListensAsync())
        {
            return;
        }

        // Dovecot's master keeps stderr open: give it a file, never our pipe.
        var log = Path.Combine(Path.GetDirectoryName(Config)!, "restart.log");
        using (var process = Process.Start(new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"dovecot -c '{Config}' >> '{log}' 2>&1 < /dev/null" },
            UseShellExecute = false,
        })!)
        {
            process.WaitForExit(30_000);
        }

        for (var i = 0; i < 200 && !await ListensAsync(); i++)
        {
            await Task.Delay(100);
        }

        if (!await ListensAsync())
        {
            throw new InvalidOperationException("Dovecot did not come back on LMTP port " + LmtpPort + " (see " + log
                + ")");
        }
    }

    public static async Task<bool> ListensAsync()
    {
        try
        {
            using var tcp = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await tcp.ConnectAsync("127.0.0.1", LmtpPort, cts.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static void Run(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("dovecot")
        {
            ArgumentList = { "-c", Config, command },
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit(30_000);
    }
}
