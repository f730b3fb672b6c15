using Gateway.Reliability.Tests.Harness;

namespace Gateway.Reliability.Tests.Regressions;

/// <summary>
/// Found by the crash test (without an allow list): the per-address session limit counts leases in the embedded
/// store, a killed process never releases the leases of its open sessions, and they live for
/// Gateway:Sender:ConnectionLeaseTime (30 minutes) in the store, which survives the restart. A client address that
/// had MaxConnectionsPerIp sessions open at the crash is refused with 421 for up to 30 minutes afterwards.
/// </summary>
public sealed class ConnectionLeaseAfterCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Gateway_KilledWithSessionsOpen_GreetsTheSameClientAfterRestart()
    {
        var workDir = Settings.WorkDir("lease");
        await using var gateway = new GatewayProcess(
            workDir, new Dictionary<string, string> { ["Gateway__Sender__MaxConnectionsPerIp"] = "3" });
        await gateway.StartAsync();

        // Three sessions open from 127.0.0.1, the whole allowance, when the process dies.
        var open = new List<SmtpLineClient>();
        for (var i = 0; i < 3; i++)
        {
            var client = await SmtpLineClient.ConnectAsync(gateway.SmtpPort);
            Assert.Equal(220, (await client.ReadReplyAsync()).Code);
            open.Add(client);
        }

        await gateway.KillAsync();
        foreach (var client in open)
        {
            await client.DisposeAsync();
        }

        gateway.StartProcess();
        Assert.True(await WaitListeningAsync(gateway), gateway.Tail(20));
        await using var after = await SmtpLineClient.ConnectAsync(gateway.SmtpPort);
        var greeting = await after.ReadReplyAsync();
        Figures.Print(output, "lease", "greeting after restart: " + greeting.Text);
        Assert.Equal(220, greeting.Code);
        await gateway.StopAsync();
        Directory.Delete(workDir, recursive: true);
    }

    private static async Task<bool> WaitListeningAsync(GatewayProcess gateway)
    {
        for (var i = 0; i < 300 && gateway.IsRunning; i++)
        {
            try
            {
                await using var probe = await SmtpLineClient.ConnectAsync(gateway.SmtpPort, TimeSpan.FromSeconds(2));
                return true;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }
}
