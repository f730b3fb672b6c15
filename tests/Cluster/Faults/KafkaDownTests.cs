using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Cluster.Tests.Support;
using Gateway.Testing;
using Xunit.Abstractions;

namespace Gateway.Cluster.Tests.Faults;

/// <summary>
/// Kafka down under load: the mock cluster's brokers stop (connections closed and refused, data kept) and come
/// back. While the edge cannot write the queue it answers 4xx at the end of DATA, never 250, and its readiness
/// says Kafka is down; once the brokers are back it accepts again by itself, and every acknowledged message is
/// delivered exactly once.
/// </summary>
public sealed class KafkaDownTests(ITestOutputHelper output)
{
    private const int Senders = 4;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.LmtpVariable, TestEnvironment.ImapVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable,
            TestEnvironment.DovecotMailVariable)]
    public async Task BrokersDownUnderLoad_EdgeDefersWithoutLosingMail_AndResumesByItself()
    {
        // A short produce timeout, so a message held at end of DATA hears its 451 within the outage.
        await using var cluster = await TestCluster.StartAsync(output, edges: 1, new Dictionary<string, string>
        {
            ["Gateway__Kafka__ProduceTimeout"] = "00:00:04",
        });
        try
        {
            var edge = cluster.Edges[0];
            var users = Enumerable.Range(0, 4).Select(i => $"kafka{i}-{cluster.Run}@example.test").ToArray();
            var clock = Stopwatch.StartNew();
            var load = new SmtpLoad(cluster.Run, [edge.SmtpPort], users, clock);
            using var stopLoad = new CancellationTokenSource();
            var loadTask = load.RunAsync(Senders, 20_000, TimeSpan.FromMinutes(4), stopLoad.Token);

            await Task.Delay(TimeSpan.FromSeconds(5));
            var downMs = clock.ElapsedMilliseconds;
            cluster.Kafka.SetBrokersDown();
            output.WriteLine($"brokers down at {downMs} ms");

            // Readiness while Kafka is down, polled through the outage.
            var readiness = new ConcurrentQueue<(long AtMs, bool Ready, string Text)>();
            using var admin = new EdgeAdmin(edge);
            while (clock.ElapsedMilliseconds - downMs < Outage.TotalMilliseconds)
            {
                var (ready, text) = await admin.ReadyAsync();
                readiness.Enqueue((clock.ElapsedMilliseconds, ready, text));
                await Task.Delay(500);
            }

            var upMs = clock.ElapsedMilliseconds;
            cluster.Kafka.SetBrokersUp();
            output.WriteLine($"brokers up at {upMs} ms");
            var readyAgain = Stopwatch.StartNew();
            await edge.Process.WaitReadyAsync(ReadyTimeout);
            var readyAgainMs = readyAgain.ElapsedMilliseconds;

            // Keep the load on until mail has flowed again for a while.
            var resumedBy = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < resumedBy && load.Accepted.Values.Count(m => m.AcceptedAtMs > upMs) < 100)
            {
                await Task.Delay(250);
            }

            await stopLoad.CancelAsync();
            await loadTask;

            var audit = await DeliveryAudit.RunAsync(load, users, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(5),
                deferredMayArrive: true);
            var queued = await admin.QueuedAsync();
            for (var i = 0; i < 120 && queued > 0; i++)
            {
                await Task.Delay(500);
                queued = await admin.QueuedAsync();
            }

            var ledger = await DeliveryLedgerScan.RunAsync(cluster);

            // Remediation's consumer came back too, and the delivery records of the copies delivered around the
            // outage were published: the last copies before it and after it are known to remediation.
            var lastBefore = load.Accepted.Values.Where(m => m.AcceptedAtMs < downMs).MaxBy(m => m.AcceptedAtMs)!;
            var last = load.Accepted.Values.MaxBy(m => m.AcceptedAtMs)!;
            var knownBefore = await KnownCopiesAsync(admin, lastBefore);
            var known = await KnownCopiesAsync(admin, last);

            // A reply that left before the brokers went down may arrive a moment later; allow a second for that.
            var acceptedWhileDown = load.Accepted.Values
                .Where(m => m.AcceptedAtMs > downMs + 1000 && m.AcceptedAtMs < upMs).ToList();
            var firstAcceptedAfter = load.Accepted.Values.Where(m => m.AcceptedAtMs > upMs)
                .Select(m => m.AcceptedAtMs - upMs).DefaultIfEmpty(-1).Min();
            var deferredDuring = load.Rejections.Count(r => r.AtMs >= downMs && r.AtMs <= upMs + 1000);
            var notReady = readiness.Where(r => !r.Ready).ToList();
            output.WriteLine(load.Summary);
            output.WriteLine(audit.Summary);
            output.WriteLine($"outage {upMs - downMs} ms: {deferredDuring} deferrals, {acceptedWhileDown.Count} "
                + $"acknowledged; first 250 {firstAcceptedAfter} ms after the brokers came back; edge ready again "
                + $"after {readyAgainMs} ms; {notReady.Count} of {readiness.Count} readiness probes said not ready; "
                + $"queue after the run: {queued}; {ledger}; remediation knows {knownBefore} of "
                + $"{lastBefore.Recipients.Length} copies of the last message before the outage, {known} of "
                + $"{last.Recipients.Length} of the last one");
            output.WriteLine("readiness while down, e.g.: " + (notReady.Count > 0 ? notReady[^1].Text : "-"));
            foreach (var rejection in load.Rejections.Take(3))
            {
                output.WriteLine($"  e.g. at {rejection.AtMs} ms: {rejection.Text}");
            }

            Assert.Empty(acceptedWhileDown);
            Assert.True(deferredDuring > 0, "no message was deferred while Kafka was down");
            Assert.DoesNotContain(load.Replies.Keys, code => code >= 500);
            Assert.All(load.Rejections, r => Assert.Contains(r.Code, new[] { 421, 451 }));
            Assert.True(firstAcceptedAfter >= 0, "nothing was acknowledged after the brokers came back");
            Assert.True(notReady.Count > 0, "readiness never reported the outage");
            Assert.Contains(notReady, r => r.Text.Contains("kafka: Unhealthy", StringComparison.Ordinal));
            audit.AssertExactlyOnce();
            Assert.Equal(0, queued);
            Assert.Equal(0, ledger.Claimed);
            Assert.Equal(0, ledger.Failed);
            Assert.Equal(lastBefore.Recipients.Length, knownBefore);
            Assert.Equal(last.Recipients.Length, known);
        }
        catch
        {
            cluster.DumpLogs(60);
            throw;
        }
    }

    private static async Task<int> KnownCopiesAsync(EdgeAdmin admin, SentMessage message)
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

        return known;
    }
}
