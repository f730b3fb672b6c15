using System.Diagnostics;
using System.Net.Sockets;
using Gateway.Reliability.Tests.Harness;

namespace Gateway.Reliability.Tests.Abuse;

/// <summary>
/// Issue 9, abuse: 5,000 concurrent idle connections are held or refused within bounded memory, and the gateway
/// keeps serving mail meanwhile. Two shapes: every connection allowed (allow-listed client, session limit above
/// 5,000: all held), and the default limits (1,000 sessions, 10 per client address: the rest refused with 421).
/// The peak resident set (VmHWM) of the gateway process is printed for both.
/// </summary>
public sealed class ConnectionFloodTests(ITestOutputHelper output)
{
    private const int Connections = 5000;

    // Generous: the point is "bounded", not a tight budget. Measured figures are printed.
    private const long MaxPeakRssKib = 1536 * 1024;

    [Fact]
    public async Task FiveThousandIdleConnections_AllAllowed_AreHeldWithinBoundedMemory()
    {
        var flood = await FloodAsync("held", new Dictionary<string, string>
        {
            ["Gateway__Sender__AllowList__0"] = "127.0.0.1",
            ["Gateway__Smtp__MaxSessions"] = "6000",
        });

        Assert.Equal(Connections, flood.Greeted);
        Assert.True(flood.MailWhileFlooded, "a message sent during the flood was not accepted");
        Assert.InRange(flood.PeakRssKib, 1, MaxPeakRssKib);
    }

    [Fact]
    public async Task FiveThousandIdleConnections_DefaultLimits_AreRefusedWith421WithinBoundedMemory()
    {
        var flood = await FloodAsync("limited", new Dictionary<string, string>());

        Assert.Equal(Connections, flood.Greeted + flood.Refused);
        Assert.InRange(flood.Greeted, 1, 1000);
        Assert.All(flood.RefusalCodes, code => Assert.Equal(421, code));
        Assert.InRange(flood.PeakRssKib, 1, MaxPeakRssKib);
    }

    private async Task<FloodResult> FloodAsync(string shape, Dictionary<string, string> settings)
    {
        var (soft, hard) = FileDescriptorLimit.Raise(Connections * 2 + 2000);
        Assert.True(soft >= Connections + 1000,
            $"open-file limit {soft} (hard {hard}) is too low for {Connections} sockets");
        var workDir = Settings.WorkDir("flood");
        await using var gateway = new GatewayProcess(workDir, settings);
        await gateway.StartAsync();
        var baseline = gateway.CurrentRssKib();

        var clients = new List<SmtpLineClient>();
        var refusalCodes = new List<int>();
        var greeted = 0;
        var failures = 0;
        var gate = new SemaphoreSlim(64);
        var clock = Stopwatch.StartNew();
        var lockObject = new Lock();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var client = await SmtpLineClient.ConnectAsync(gateway.SmtpPort, TimeSpan.FromSeconds(60));
                var greeting = await client.ReadReplyAsync();
                lock (lockObject)
                {
                    if (greeting.Code == 220)
                    {
                        greeted++;
                        clients.Add(client);
                        return;
                    }

                    refusalCodes.Add(greeting.Code);
                }

                await client.DisposeAsync();
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                lock (lockObject)
                {
                    failures++;
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        var connectTime = clock.Elapsed;

        // Held for a while, idle: memory must settle, not grow.
        await Task.Delay(2000);
        var heldRss = gateway.CurrentRssKib();
        var mailWhileFlooded = await SendOneAsync(gateway.SmtpPort);
        var peak = gateway.SamplePeakRss();

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        var alive = gateway.IsRunning;
        var mailAfter = await SendOneAsync(gateway.SmtpPort);
        await gateway.StopAsync();
        Figures.Print(output, "flood-" + shape,
            $"{Connections} connections in {connectTime.TotalSeconds:0.0} s: greeted and held " +
            $"{greeted}, refused {refusalCodes.Count} ({string.Join(", ", refusalCodes.GroupBy(c => c).Select(g => $"{g.Key}: {g.Count()}"))})" +
            $", failed {failures}; RSS before {baseline / 1024} MiB, while held {heldRss / 1024} MiB, peak {peak / 1024} MiB " +
            $"(~{(heldRss - baseline) / Math.Max(1, greeted)} KiB per held session); mail during flood accepted: {mailWhileFlooded}, after: {mailAfter}");

        Assert.True(alive, "the gateway died under the flood:\n" + gateway.Tail(30));
        Assert.Equal(0, failures);
        Assert.True(mailAfter, "the gateway did not accept mail after the flood");
        Directory.Delete(workDir, recursive: true);
        return new FloodResult(greeted, refusalCodes.Count, refusalCodes, peak, mailWhileFlooded);
    }

    private static async Task<bool> SendOneAsync(int port)
    {
        try
        {
            await using var client = await SmtpLineClient.ConnectAsync(port);
            if ((await client.ReadReplyAsync()).Code != 220)
            {
                return false;
            }

            await client.CommandAsync("EHLO flood.test");
            await client.CommandAsync("MAIL FROM:<a@sender.test>");
            await client.CommandAsync("RCPT TO:<ada@example.test>");
            await client.CommandAsync("DATA");
            await client.SendAsync(SmtpLineClient.DataWireForm("Subject: during flood\r\n\r\nstill here\r\n"u8));
            return (await client.ReadReplyAsync()).Code == 250;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private sealed record FloodResult(int Greeted, int Refused, List<int> RefusalCodes, long PeakRssKib,
        bool MailWhileFlooded);
}
