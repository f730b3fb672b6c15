using System.Diagnostics;
using Gateway.Cluster.Tests.Support;
using Gateway.Testing;
using Xunit.Abstractions;

namespace Gateway.Cluster.Tests.EndToEnd;

/// <summary>
/// The edge calls sender intelligence and the fingerprint filter with deadlines: a tier that cannot answer in
/// time makes the edge answer 4xx, unless that tier is configured to fail open.
/// </summary>
public sealed class ClusterDeadlineTests(ITestOutputHelper output)
{
    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.LmtpVariable, TestEnvironment.ImapVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task TiersNotAnsweringInTime_EdgeDefers_UnlessConfiguredToFailOpen()
    {
        using var silentSender = new SilentEndpoint();
        using var silentFilter = new SilentEndpoint();
        await using var cluster = await TestCluster.StartEdgesOnlyAsync(output,
            // Edge 0: both tiers must answer.
            new Dictionary<string, string>
            {
                ["Gateway__Cluster__SenderIntelligence__Address"] = silentSender.Address,
                ["Gateway__Cluster__SenderIntelligence__Deadline"] = "00:00:01",
                ["Gateway__Cluster__FingerprintFilter__Address"] = silentFilter.Address,
                ["Gateway__Cluster__FingerprintFilter__Deadline"] = "00:00:01",
            },
            // Edge 1: sender intelligence fails open, the filter must answer.
            new Dictionary<string, string>
            {
                ["Gateway__Cluster__SenderIntelligence__Address"] = silentSender.Address,
                ["Gateway__Cluster__SenderIntelligence__Deadline"] = "00:00:01",
                ["Gateway__Cluster__SenderIntelligence__FailOpen"] = "true",
                ["Gateway__Cluster__FingerprintFilter__Address"] = silentFilter.Address,
                ["Gateway__Cluster__FingerprintFilter__Deadline"] = "00:00:01",
            },
            // Edge 2: both fail open: mail is accepted and delivered without them.
            new Dictionary<string, string>
            {
                ["Gateway__Cluster__SenderIntelligence__Address"] = silentSender.Address,
                ["Gateway__Cluster__SenderIntelligence__Deadline"] = "00:00:01",
                ["Gateway__Cluster__SenderIntelligence__FailOpen"] = "true",
                ["Gateway__Cluster__FingerprintFilter__Address"] = silentFilter.Address,
                ["Gateway__Cluster__FingerprintFilter__Deadline"] = "00:00:01",
                ["Gateway__Cluster__FingerprintFilter__FailOpen"] = "true",
            });
        try
        {
            var user = $"deadline{cluster.Run}@example.test";

            // Connect check past its deadline: 421 4.3.0 before any greeting, within a few seconds.
            var clock = Stopwatch.StartNew();
            await using (var refused = await SmtpTestClient.ConnectAsync(cluster.Edges[0].SmtpPort))
            {
                Assert.Equal(421, refused.Greeting!.Code);
                Assert.Equal("4.3.0", refused.Greeting.Enhanced);
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the 421 took {clock.Elapsed}");

            // Sender intelligence fails open; the scan at end of DATA does not: 451 4.3.0, nothing queued.
            await using (var deferred = await SmtpTestClient.ConnectAsync(cluster.Edges[1].SmtpPort))
            {
                Assert.Equal(220, deferred.Greeting!.Code);
                Assert.Equal(250, (await deferred.CommandAsync("EHLO client.test")).Code);
                var reply = await deferred.SendAsync(
                    "a@sender.invalid", [user], TestMessages.Tagged("deferred", user, 1));
                Assert.Equal(451, reply.Code);
                Assert.Equal("4.3.0", reply.Enhanced);
            }

            // Both fail open: accepted (250 2.0.0) and delivered, unscanned; a 3 MB message as well.
            await using (var accepted = await SmtpTestClient.ConnectAsync(cluster.Edges[2].SmtpPort))
            {
                Assert.Equal(220, accepted.Greeting!.Code);
                Assert.Equal(250, (await accepted.CommandAsync("EHLO client.test")).Code);
                var reply = await accepted.SendAsync("a@sender.invalid", [user], TestMessages.Tagged("open", user, 2));
                Assert.Equal(250, reply.Code);
                Assert.Equal("2.0.0", reply.Enhanced);

                // Well over Kafka's default 1 MiB record limit: the topics and clients are sized from the SMTP limit.
                var large = TestMessages.Tagged("large", user, 3) + string.Concat(Enumerable.Repeat(
                    "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n", 40_000));
                Assert.True(large.Length > 2_900_000);
                var big = await accepted.SendAsync("a@sender.invalid", [user], large);
                Assert.Equal(250, big.Code);
            }

            Assert.Equal((2, 0), await Mailboxes.WaitForCountsAsync(user, 2, 0, TimeSpan.FromSeconds(45)));
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }
}
