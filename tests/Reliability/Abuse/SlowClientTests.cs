using System.Diagnostics;
using System.Text;
using Gateway.Reliability.Tests.Harness;

namespace Gateway.Reliability.Tests.Abuse;

/// <summary>
/// Issue 9, abuse: idle sessions and slow clients (one byte every two seconds, in a command and in the message data)
/// are bounded by the timeouts, here configured short: command 3 s, data block 3 s, whole session 12 s. Each client
/// gets a 421 and the connection is closed within its bound; nothing half-sent is delivered.
/// </summary>
public sealed class SlowClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task IdleAndSlowClients_AreClosedWithin421WithinTheirTimeouts()
    {
        var workDir = Settings.WorkDir("slow");
        await using var gateway = new GatewayProcess(workDir, new Dictionary<string, string>
        {
            ["Gateway__Smtp__CommandTimeout"] = "00:00:03",
            ["Gateway__Smtp__DataBlockTimeout"] = "00:00:03",
            ["Gateway__Smtp__SessionTimeout"] = "00:00:12",
        });
        await gateway.StartAsync();

        // The three run at once, as they would against a real server.
        var idleRun = IdleAsync(gateway.SmtpPort);
        var slowCommandRun = DribbleAsync(gateway.SmtpPort, "EHLO slow.test\r\nMAIL FROM:<a@b.test>\r\n",
            afterData: false);
        var slowDataRun = DribbleAsync(gateway.SmtpPort, "Subject: slow\r\n\r\n" + new string('x', 40) + "\r\n.\r\n",
            afterData: true);
        await Task.WhenAll(idleRun, slowCommandRun, slowDataRun);
        var (idle, slowCommand, slowData) = (await idleRun, await slowCommandRun, await slowDataRun);

        Report("idle after greeting", idle);
        Report("one byte / 2 s in a command", slowCommand);
        Report("one byte / 2 s in DATA", slowData);

        Assert.Contains("421 4.4.2", idle.Text);
        Assert.InRange(idle.Elapsed, CommandTimeout - TimeSpan.FromSeconds(0.5), CommandTimeout + Slack);
        foreach (var slow in new[] { slowCommand, slowData })
        {
            Assert.True(slow.ClosedByServer, "the server never closed the slow session");
            Assert.Contains("421 4.4.2", slow.Text);
            Assert.True(slow.Elapsed <= SessionTimeout + Slack, $"closed only after {slow.Elapsed}");
        }

        await gateway.StopAsync();
        Assert.Equal(0, DeliveryAudit.Scan(gateway.MaildirRoot).TotalFiles + CountFiles(gateway.MaildirRoot));
        Directory.Delete(workDir, recursive: true);
    }

    private void Report(string what, Outcome outcome) =>
        Figures.Print(output, "slow-clients",
            $"{what}: closed by the server after {outcome.Elapsed.TotalSeconds:0.0} s " +
            $"({outcome.BytesSent} bytes sent), last reply '{outcome.Text.TrimEnd().Split("\r\n")[^1]}'");

    private static async Task<Outcome> IdleAsync(int port)
    {
        await using var client = await SmtpLineClient.ConnectAsync(port);
        await client.ReadReplyAsync();
        var clock = Stopwatch.StartNew();
        var text = await client.ReadToEndAsync(TimeSpan.FromSeconds(60));
        return new Outcome(clock.Elapsed, text, true, 0);
    }

    /// <summary>Sends <paramref name="text"/> one byte every two seconds (after DATA when asked) until the server closes.</summary>
    private static async Task<Outcome> DribbleAsync(int port, string text, bool afterData)
    {
        await using var client = await SmtpLineClient.ConnectAsync(port);
        await client.ReadReplyAsync();
        if (afterData)
        {
            await client.CommandAsync("EHLO slow.test");
            await client.CommandAsync("MAIL FROM:<slow@sender.test>");
            await client.CommandAsync("RCPT TO:<ada@example.test>");
            Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        }

        var clock = Stopwatch.StartNew();
        var reading = client.ReadToEndAsync(TimeSpan.FromSeconds(60));
        var bytes = Encoding.ASCII.GetBytes(text);
        var sent = 0;
        while (sent < bytes.Length && !reading.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(45))
        {
            try
            {
                await client.SendAsync(bytes.AsMemory(sent, 1));
                sent++;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
            {
                break; // the server closed
            }

            await Task.WhenAny(reading, Task.Delay(2000));
        }

        var closed = await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(30))) == reading;
        return new Outcome(clock.Elapsed, closed ? await reading : "", closed, sent);
    }

    private static int CountFiles(string root) =>
        Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).Length : 0;

    private sealed record Outcome(TimeSpan Elapsed, string Text, bool ClosedByServer, int BytesSent);
}
