using System.Diagnostics;
using System.Globalization;
using Gateway.Cluster.Tests.Support;
using Gateway.Testing;
using Xunit.Abstractions;

namespace Gateway.Cluster.Tests.EndToEnd;

/// <summary>
/// Each cluster service killed with SIGKILL again and again (GATEWAY_CRASH_KILLS times, 20 by default) at random
/// moments during a steady SMTP load, restarted each time on the same ports and settings. Every message that got
/// 250 is delivered exactly once, nothing unacknowledged is delivered, the queue drains by itself, and while a
/// tier is down the edge answers as that tier is configured: sender intelligence here fails open (mail goes
/// on), the fingerprint filter does not (451 4.3.0), and the edge never needs retro-remediation to accept mail.
/// </summary>
public sealed class ClusterServiceCrashTests(ITestOutputHelper output)
{
    private const string KillsVariable = "GATEWAY_CRASH_KILLS";
    private const int Senders = 4;
    private const int MaxMessages = 20_000;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan MaxRunTime = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(120);

    [RequiresTheory(TestEnvironment.RedisVariable, TestEnvironment.LmtpVariable, TestEnvironment.ImapVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable,
            TestEnvironment.DovecotMailVariable)]
    [InlineData("mta-edge-0")]
    [InlineData("sender-intelligence")]
    [InlineData("fingerprint-filter")]
    [InlineData("retro-remediation")]
    public async Task ServiceKilledRepeatedlyUnderLoad_AcceptedMailDeliveredOnce_AndEdgeAnswersAsConfigured(
        string service)
    {
        var kills = Kills();
        var edgeSettings = new Dictionary<string, string>
        {
            ["Gateway__Cluster__SenderIntelligence__Deadline"] = "00:00:02",
            ["Gateway__Cluster__SenderIntelligence__FailOpen"] = "true",
            ["Gateway__Cluster__FingerprintFilter__Deadline"] = "00:00:02",
            ["Gateway__Cluster__FingerprintFilter__FailOpen"] = "false",
        };

        // Two edges when an edge is the victim, so the other one takes over its claims and partitions.
        await using var cluster = await TestCluster.StartAsync(
            output, edges: service.StartsWith("mta-edge", StringComparison.Ordinal) ? 2 : 1, edgeSettings);
        try
        {
            var victim = cluster.Services.Single(s => s.Name == service);
            var users = Enumerable.Range(0, 4).Select(i => $"crash{i}-{cluster.Run}@example.test").ToArray();
            var clock = Stopwatch.StartNew();
            var load = new SmtpLoad(cluster.Run, cluster.Edges.Select(e => e.SmtpPort).ToList(), users, clock);
            using var stopLoad = new CancellationTokenSource();
            var loadTask = load.RunAsync(Senders, MaxMessages, MaxRunTime, stopLoad.Token);

            // The killer: SIGKILL, restart, wait until the new process serves, a random pause; `kills` times. So
            // kills land anywhere in a service's life: serving, still joining its consumer group, not yet
            // ready (the mock broker never answers DescribeConfigs, which holds readiness back ~5 s).
            var seed = Environment.TickCount;
            var random = new Random(seed);
            var restartTimes = new List<TimeSpan>();
            var upWindows = new List<(long LiveMs, long KilledMs)>();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var firstKillMs = clock.ElapsedMilliseconds;
            for (var i = 0; i < kills && !loadTask.IsCompleted; i++)
            {
                if (upWindows.Count > 0)
                {
                    upWindows[^1] = (upWindows[^1].LiveMs, clock.ElapsedMilliseconds);
                }

                victim.Kill();
                var restart = Stopwatch.StartNew();
                victim.Restart();
                await victim.WaitLiveAsync(ReadyTimeout);
                restartTimes.Add(restart.Elapsed);
                upWindows.Add((clock.ElapsedMilliseconds, long.MaxValue));
                await Task.Delay(random.Next(50, 1000));
            }

            // The last restart must get all the way back, without help (waited for while the mail drains).
            var lastRestartMs = clock.ElapsedMilliseconds;
            var ready = Task.Run(async () =>
            {
                var lastRestart = Stopwatch.StartNew();
                await victim.WaitReadyAsync(ReadyTimeout);
                return lastRestart.ElapsedMilliseconds;
            });
            await Task.Delay(TimeSpan.FromSeconds(1));
            await stopLoad.CancelAsync();
            await loadTask;
            var sentMs = clock.ElapsedMilliseconds;

            var audit = await DeliveryAudit.RunAsync(load, users, DeliveryWait, TimeSpan.FromSeconds(5));
            var deliveredMs = clock.ElapsedMilliseconds;
            var readyMs = await ready;
            var queued = await WaitForEmptyQueueAsync(cluster);
            var ledger = await DeliveryLedgerScan.RunAsync(cluster);
            output.WriteLine($"{service}: {victim.Restarts} kills and restarts (seed {seed}), mean restart to live "
                + $"{(restartTimes.Count == 0 ? 0 : restartTimes.Average(t => t.TotalMilliseconds)):F0} ms, max "
                + $"{(restartTimes.Count == 0 ? 0 : restartTimes.Max(t => t.TotalMilliseconds)):F0} ms, ready "
                + $"{readyMs} ms after the kill loop; kills from "
                + $"{firstKillMs} to {lastRestartMs} ms, load stopped at {sentMs} ms, audit done at {deliveredMs} ms");
            // How soon after each restart mail was acknowledged again (a client that reconnects slowly shows here).
            var firstAccepted = upWindows.Select(w => load.Accepted.Values
                .Where(m => m.AcceptedAtMs >= w.LiveMs && m.AcceptedAtMs < w.KilledMs)
                .Select(m => m.AcceptedAtMs - w.LiveMs).DefaultIfEmpty(-1).Min()).ToList();
            output.WriteLine($"first 250 after a restart was live: mean "
                + $"{firstAccepted.Where(f => f >= 0).DefaultIfEmpty(0).Average():F0} ms, max "
                + $"{firstAccepted.DefaultIfEmpty(0).Max()} ms; {firstAccepted.Count(f => f < 0)} of "
                + $"{firstAccepted.Count} restarts were killed again before any 250");
            output.WriteLine(load.Summary);
            output.WriteLine(audit.Summary);
            output.WriteLine($"queue after the run: {string.Join(", ", queued)} records waiting; {ledger}");
            foreach (var rejection in load.Rejections.Take(5))
            {
                output.WriteLine($"  e.g. at {rejection.AtMs} ms: {rejection.Text}");
            }

            Assert.Equal(kills, victim.Restarts);
            Assert.True(load.Accepted.Count >= kills, $"only {load.Accepted.Count} messages acknowledged");
            Assert.DoesNotContain(load.Replies.Keys, code => code >= 500);
            Assert.Empty(load.Refused);
            audit.AssertExactlyOnce();
            Assert.All(queued, q => Assert.Equal(0, q));
            Assert.Equal(0, ledger.Claimed);
            Assert.Equal(0, ledger.Failed);
            Assert.True(ledger.Delivered >= audit.ExpectedCopies, ledger.ToString());
            switch (service)
            {
                case "sender-intelligence" or "retro-remediation":
                    // Failing open (sender intelligence) or not in the SMTP path at all (remediation): never deferred.
                    Assert.Empty(load.Rejections);
                    break;
                case "fingerprint-filter":
                    Assert.All(load.Rejections, r => Assert.Contains(r.Code, new[] { 421, 451 }));
                    Assert.All(load.Rejections, r => Assert.Contains("4.3.0", r.Text, StringComparison.Ordinal));
                    break;
            }

            if (service == "sender-intelligence")
            {
                await AssertReputationCountedOnceAsync(cluster, audit.ExpectedCopies);
            }

            if (service == "retro-remediation")
            {
                await AssertRemediationKeptRecordsAsync(cluster, load, firstKillMs, lastRestartMs);
            }
        }
        catch
        {
            cluster.DumpLogs(40);
            throw;
        }
    }

    private static int Kills() =>
        int.TryParse(Environment.GetEnvironmentVariable(KillsVariable), NumberStyles.None,
            CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1000 ? n : 20;

    /// <summary>Every edge's view of the queue, once it is empty or after a minute.</summary>
    private static async Task<List<int>> WaitForEmptyQueueAsync(TestCluster cluster)
    {
        var counts = new List<int>();
        foreach (var edge in cluster.Edges)
        {
            using var admin = new EdgeAdmin(edge);
            var queued = await admin.QueuedAsync();
            for (var i = 0; i < 120 && queued > 0; i++)
            {
                await Task.Delay(500);
                queued = await admin.QueuedAsync();
            }

            counts.Add(queued);
        }

        return counts;
    }

    /// <summary>
    /// Sender intelligence consumed every reputation outcome the edge published while it was being killed,
    /// each exactly once (its consumer restarts from committed offsets; counting is idempotent per outcome id):
    /// the client's counters equal the acknowledged and the delivered copies.
    /// </summary>
    private async Task AssertReputationCountedOnceAsync(TestCluster cluster, int copies)
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(
            TestEnvironment.Require(TestEnvironment.RedisVariable));
        var key = cluster.KeyPrefix + "rep:ip:127.0.0.1";
        long accepted = 0, delivered = 0;
        for (var i = 0; i < 120 && (accepted != copies || delivered != copies); i++)
        {
            var counters = await redis.GetDatabase().HashGetAllAsync(key);
            accepted = (long)counters.FirstOrDefault(e => e.Name == "accepted").Value;
            delivered = (long)counters.FirstOrDefault(e => e.Name == "delivered").Value;
            if (accepted != copies || delivered != copies)
            {
                await Task.Delay(500);
            }
        }

        output.WriteLine($"sender intelligence counted {accepted} accepted and {delivered} delivered copies of "
            + $"{copies}");
        Assert.Equal(copies, accepted);
        Assert.Equal(copies, delivered);
    }

    /// <summary>
    /// Copies delivered while remediation was being killed are still known to it (their delivery records were
    /// consumed after each restart), and a spam report on one of them still moves its copies to Junk.
    /// </summary>
    private async Task AssertRemediationKeptRecordsAsync(
        TestCluster cluster, SmtpLoad load, long fromMs, long toMs)
    {
        var window = load.Accepted.Values.Where(m => m.AcceptedAtMs >= fromMs && m.AcceptedAtMs <= toMs)
            .OrderBy(m => m.AcceptedAtMs).ToList();
        Assert.NotEmpty(window);
        var sample = Enumerable.Range(0, 5).Select(i => window[i * (window.Count - 1) / 4]).Distinct().ToList();
        using var admin = new EdgeAdmin(cluster.Edges[0]);
        foreach (var message in sample)
        {
            var known = 0;
            for (var i = 0; i < 120 && known < message.Recipients.Length; i++)
            {
                var lookup = await admin.DeliveriesAsync(message.Content);
                known = lookup.Copies.Count(c => c.Record.QueueId == message.QueueId);
                if (known < message.Recipients.Length)
                {
                    await Task.Delay(500);
                }
            }

            Assert.True(known == message.Recipients.Length,
                $"remediation knows {known} of {message.Recipients.Length} copies of {message.Tag}");
        }

        var reported = sample[^1];
        Assert.True((await admin.ReportSpamAsync(reported.Content)).Changed);
        var moved = 0;
        for (var i = 0; i < 180 && moved < reported.Recipients.Length; i++)
        {
            await Task.Delay(500);
            var lookup = await admin.DeliveriesAsync(reported.Content);
            moved = lookup.Copies.Count(c => c.Record.QueueId == reported.QueueId
                && c.State == V1.CopyState.MovedToJunk);
        }

        output.WriteLine($"remediation: {sample.Count} sampled messages known with all copies; "
            + $"{moved} of {reported.Recipients.Length} copies of {reported.Tag} moved to Junk after a spam report");
        Assert.Equal(reported.Recipients.Length, moved);
    }
}
