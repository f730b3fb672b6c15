using System.Diagnostics;
using Gateway.Reliability.Tests.Harness;

namespace Gateway.Reliability.Tests.Crash;

/// <summary>
/// Issue 9, crashes: the standalone gateway is killed with SIGKILL at random moments during a steady load and
/// started again each time, on the same DataDir. At the end every message that got 250 is in its mailboxes
/// exactly once, nothing that was not accepted is, and the spool recovered by itself (nothing set aside).
/// tools/reliability/crash-soak.sh runs the same test with more kills and senders.
/// </summary>
public sealed class StandaloneCrashTests(ITestOutputHelper output)
{
    private static readonly string[] Mailboxes = ["ada", "bob", "cy", "dee"];

    [Fact]
    public async Task Gateway_KilledRepeatedlyUnderLoad_DeliversEveryAcknowledgedMessageExactlyOnce()
    {
        var kills = Settings.Int("RELIABILITY_CRASH_KILLS", 20);
        var senders = Settings.Int("RELIABILITY_CRASH_SENDERS", 4);
        var maxUpMs = Settings.Int("RELIABILITY_CRASH_MAX_UP_MS", 2500);
        var seed = Settings.Int("RELIABILITY_SEED", Environment.TickCount);
        var random = new Random(seed);
        var workDir = Settings.WorkDir("crash");
        var clock = Stopwatch.StartNew();

        // The load comes from one address; allow-listed, it is not held to the per-address session limit, whose
        // leases a killed process cannot release (see LeaseAfterCrashTests): this test is about the spool.
        await using var gateway = new GatewayProcess(
            workDir, new Dictionary<string, string> { ["Gateway__Sender__AllowList__0"] = "127.0.0.1" });
        var load = new MailLoad(() => gateway.SmtpPort, Mailboxes);
        using var stopLoad = new CancellationTokenSource();
        Task? loadTask = null;
        var recoveries = new List<long>();
        try
        {
            await gateway.StartAsync();
            loadTask = load.RunAsync(senders, stopLoad.Token, seed);
            for (var kill = 1; kill <= kills; kill++)
            {
                // Let the load run for a random while (longer every few rounds, so queues build up), then kill.
                var upMs = random.Next(200, kill % 5 == 0 ? maxUpMs * 2 : maxUpMs);
                await Task.Delay(upMs);
                await gateway.KillAsync();
                Assert.NotEqual(0, gateway.ExitCode); // really killed, not a clean exit

                var restart = Stopwatch.StartNew();
                await gateway.StartAsync();
                recoveries.Add(restart.ElapsedMilliseconds);
            }

            // Stop the load, then give the last process time to deliver everything queued.
            await stopLoad.CancelAsync();
            await loadTask;
            var acknowledged = load.Messages.Where(m => m.Fate == MessageFate.Acknowledged).ToList();
            var drained = await WaitAsync(
                () => SpoolState.Read(gateway.DataDir).Queued == 0
                    && DeliveryAudit.Scan(gateway.MaildirRoot).Check(acknowledged).Lost.Count == 0,
                TimeSpan.FromSeconds(90));
            await gateway.StopAsync();

            var audit = DeliveryAudit.Scan(gateway.MaildirRoot).Check(load.Messages);
            var spool = SpoolState.Read(gateway.DataDir);
            Report(kills, senders, seed, load, audit, spool, recoveries, clock.Elapsed,
                StoreRepairs(gateway.ReadLog()));

            Assert.True(drained, $"the queue did not drain within 90 s: {spool}\n{gateway.Tail(30)}");
            Assert.True(audit.Clean, audit + "\n" + audit.Details());
            Assert.True(audit.Acknowledged >= kills, $"the load barely ran ({audit.Acknowledged} acknowledged)");
            Assert.Equal(0, spool.CorruptFiles);
            Assert.Equal(0, spool.QueueFiles);
            Assert.Equal(kills + 1, gateway.Starts);
            Directory.Delete(workDir, recursive: true);
        }
        finally
        {
            await stopLoad.CancelAsync();
            if (loadTask is not null)
            {
                await loadTask;
            }
        }
    }

    private void Report(
        int kills, int senders, int seed, MailLoad load, AuditResult audit, SpoolState spool,
        List<long> recoveries, TimeSpan elapsed, int storeRepairs)
    {
        const string name = "crash";
        Figures.Print(output, name, $"{kills} SIGKILLs, {senders} senders, seed {seed}, {elapsed.TotalSeconds:0} s");
        Figures.Print(output, name, $"sessions {load.Sessions}, refused connects while down {load.ConnectFailures}, " +
            $"messages tried {load.Messages.Count}: acknowledged {load.Count(MessageFate.Acknowledged)}, " +
            $"reply lost after dot {load.Count(MessageFate.DotSent)}, refused {load.Count(MessageFate.Refused)}, " +
            $"unfinished {load.Count(MessageFate.Unfinished)}");
        Figures.Print(output, name, "per recipient: " + audit);
        Figures.Print(output, name, $"spool after the last run: {spool}");
        if (recoveries.Count > 0)
        {
            Figures.Print(output, name,
                $"restart to first greeting: median {Median(recoveries)} ms, max {recoveries.Max()} ms");
        }

        Figures.Print(output, name,
            $"starts that closed a transaction the kill left open in the embedded store's file: {storeRepairs}");
        foreach (var refusal in load.Messages.Where(m => m.Fate == MessageFate.Refused)
                     .GroupBy(m => m.RefusedWith ?? "").OrderByDescending(g => g.Count()).Take(5))
        {
            Figures.Print(output, name, $"refused {refusal.Count()}x: {refusal.Key}");
        }
    }

    // The console logger writes "warn: <category>[<event id>]" on the line before the message.
    private static int StoreRepairs(string log) =>
        log.Split('\n').Count(line => line.Contains("EmbeddedRedisServer[11]", StringComparison.Ordinal));

    private static long Median(List<long> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return condition();
    }
}
