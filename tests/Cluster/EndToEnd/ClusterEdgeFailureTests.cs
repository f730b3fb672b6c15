using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Cluster.Tests.Support;
using Gateway.Testing;
using Xunit.Abstractions;

namespace Gateway.Cluster.Tests.EndToEnd;

/// <summary>
/// No single pod's loss loses mail: two edges under load, one killed with SIGKILL mid-way. Every message that
/// got 250 is delivered exactly once (counted in Dovecot's Maildir), and no message is delivered twice.
/// </summary>
public sealed class ClusterEdgeFailureTests(ITestOutputHelper output)
{
    private const int Messages = 300;
    private const int Senders = 6;
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(120);

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.LmtpVariable, TestEnvironment.ImapVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable,
            TestEnvironment.DovecotMailVariable)]
    public async Task EdgeKilledUnderLoad_EveryAcceptedMessage_IsDeliveredExactlyOnce()
    {
        await using var cluster = await TestCluster.StartAsync(output, edges: 2);
        try
        {
            var users = Enumerable.Range(0, 4).Select(i => $"load{i}-{cluster.Run}@example.test").ToArray();
            var victim = cluster.Edges[0];
            var survivor = cluster.Edges[1];
            var accepted = new ConcurrentDictionary<string, string[]>();
            var unanswered = new ConcurrentDictionary<string, string[]>();
            var refused = new ConcurrentDictionary<string, string>();
            var next = -1;
            var killed = 0;
            var clock = Stopwatch.StartNew();
            long killedAtMs = 0;

            // Load: each sender keeps a session open and sends message after message; senders alternate between
            // the edges until the victim is killed, then use the survivor. A session cut by the kill leaves its
            // message unanswered (not acknowledged): it may or may not be delivered, but at most once.
            async Task SendLoopAsync(int sender)
            {
                SmtpTestClient? smtp = null;
                try
                {
                    while (true)
                    {
                        var number = Interlocked.Increment(ref next);
                        if (number >= Messages)
                        {
                            return;
                        }

                        var tag = $"{cluster.Run}-{number}";
                        string[] recipients = number % 5 == 0
                            ? [users[number % 4], users[(number + 1) % 4]]
                            : [users[number % 4]];
                        if (accepted.Count >= Messages / 3 && Interlocked.Exchange(ref killed, 1) == 0)
                        {
                            killedAtMs = clock.ElapsedMilliseconds;
                            victim.Process.Kill();
                            output.WriteLine(
                                $"killed {victim.Process.Name} (pid {victim.Process.Pid}) at {killedAtMs} ms "
                                + $"after {accepted.Count} accepted");
                        }

                        try
                        {
                            if (smtp is null)
                            {
                                var edge = Volatile.Read(ref killed) == 0 && sender % 2 == 0 ? victim : survivor;
                                smtp = await SmtpTestClient.ConnectAsync(edge.SmtpPort, TimeSpan.FromSeconds(60));
                                var ehlo = smtp.Greeting!.Code == 220
                                    ? await smtp.CommandAsync("EHLO load.test")
                                    : null;
                                if (ehlo?.Code != 250)
                                {
                                    throw new IOException("session refused: " + smtp.Greeting);
                                }
                            }

                            var reply = await smtp.SendAsync("load@sender.invalid", recipients,
                                TestMessages.Tagged(tag, recipients[0], number));
                            if (reply.Code == 250)
                            {
                                accepted[tag] = recipients;
                            }
                            else
                            {
                                refused[tag] = reply.Text;
                                await smtp.DisposeAsync();
                                smtp = null;
                            }
                        }
                        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
                        {
                            unanswered[tag] = recipients;
                            if (smtp is not null)
                            {
                                await smtp.DisposeAsync();
                            }

                            smtp = null;
                        }
                    }
                }
                finally
                {
                    if (smtp is not null)
                    {
                        await smtp.DisposeAsync();
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, Senders).Select(SendLoopAsync));
            var sentMs = clock.ElapsedMilliseconds;
            Assert.Equal(1, killed);
            Assert.True(victim.Process.HasExited);
            Assert.Empty(refused);
            Assert.True(accepted.Count >= Messages * 9 / 10, $"only {accepted.Count} of {Messages} accepted");

            // Wait until every acknowledged copy is in Dovecot, then a little longer for any late duplicate.
            var expected = accepted.SelectMany(a => a.Value.Select(u => (User: u, Tag: a.Key))).ToList();
            var counts = await WaitForCopiesAsync(users, expected);
            var deliveredMs = clock.ElapsedMilliseconds;
            await Task.Delay(TimeSpan.FromSeconds(8));
            counts = await Mailboxes.StableCountsByHeaderAsync(users, "X-Test-Id");

            var missing = expected.Where(e => counts.GetValueOrDefault((e.User, e.Tag)) == 0).ToList();
            var doubled = counts.Where(c => c.Value > 1).ToList();
            var unexpected = counts.Keys
                .Where(k => !accepted.ContainsKey(k.Value) && !unanswered.ContainsKey(k.Value))
                .ToList();
            var unansweredDelivered = unanswered.Count(u => u.Value.Any(r => counts.ContainsKey((r, u.Key))));
            output.WriteLine($"{Messages} messages, {Senders} senders: {accepted.Count} accepted "
                + $"({expected.Count} copies), {unanswered.Count} unanswered "
                + $"({unansweredDelivered} of them delivered); sent in {sentMs} ms, edge killed at {killedAtMs} ms, "
                + $"all accepted copies delivered at {deliveredMs} ms");
            output.WriteLine("survivor: " + string.Join("; ", await MetricLinesAsync(survivor.Process.HttpPort,
                "gateway_delivery_orphans_total", "gateway_delivery_attempts_total")));
            Assert.True(missing.Count == 0, $"{missing.Count} acknowledged copies never delivered, e.g. "
                + string.Join(", ", missing.Take(5)));
            Assert.True(doubled.Count == 0, $"{doubled.Count} copies delivered more than once, e.g. "
                + string.Join(", ", doubled.Take(5)));
            Assert.Empty(unexpected);
        }
        catch
        {
            cluster.DumpLogs(40);
            throw;
        }
    }

    private static async Task<Dictionary<(string User, string Value), int>> WaitForCopiesAsync(
        string[] users, List<(string User, string Tag)> expected)
    {
        var deadline = DateTime.UtcNow + DeliveryWait;
        var counts = Mailboxes.CountByHeader(users, "X-Test-Id");
        while (DateTime.UtcNow < deadline && expected.Any(e => counts.GetValueOrDefault((e.User, e.Tag)) == 0))
        {
            await Task.Delay(500);
            counts = Mailboxes.CountByHeader(users, "X-Test-Id");
        }

        return counts;
    }

    private static async Task<IEnumerable<string>> MetricLinesAsync(int httpPort, params string[] names)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync($"http://127.0.0.1:{httpPort}/metrics");
        return text.Split('\n').Where(l => names.Any(n => l.StartsWith(n, StringComparison.Ordinal)));
    }
}
