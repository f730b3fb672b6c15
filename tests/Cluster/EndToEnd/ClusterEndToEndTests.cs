using System.Text;
using Confluent.Kafka;
using Gateway.Cluster.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Google.Protobuf;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace Gateway.Cluster.Tests.EndToEnd;

/// <summary>
/// The walking skeleton in cluster mode: the four services as separate processes, real Redis and Dovecot,
/// Kafka through the mock cluster. Mail in over SMTP, delivered over LMTP, convicted by a spam report, moved to
/// Junk over IMAP, and put back by a ham report.
/// </summary>
public sealed class ClusterEndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.LmtpVariable, TestEnvironment.ImapVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task Cluster_MailInDeliveredThenReportedAsSpam_CopiesMoveToJunkAndHamPutsThemBack()
    {
        await using var cluster = await TestCluster.StartAsync(output);
        try
        {
            using var tiers = new TierClients(cluster);
            string[] users = [$"ann{cluster.Run}@example.test", $"ben{cluster.Run}@example.test"];
            var edge = cluster.Edges[0];

            // Mail in: one campaign to both users, one ordinary message to the first.
            var spam = TestMessages.Campaign("cluster-" + cluster.Run, users[0], "Exclusive offer");
            await using (var smtp = await SmtpTestClient.ConnectAsync(edge.SmtpPort))
            {
                Assert.Equal(220, smtp.Greeting!.Code);
                Assert.Equal(250, (await smtp.CommandAsync("EHLO client.test")).Code);
                var accepted = await smtp.SendAsync("offers@promo.invalid", users, spam);
                Assert.Equal(250, accepted.Code);
                Assert.Equal("2.0.0", accepted.Enhanced);
                var ham = await smtp.SendAsync(
                    "colleague@partner.invalid", [users[0]], TestMessages.Ham(users[0], "Minutes " + cluster.Run));
                Assert.Equal(250, ham.Code);
                Assert.Equal(221, (await smtp.CommandAsync("QUIT")).Code);
            }

            // Delivered over LMTP into Dovecot.
            Assert.Equal((2, 0), await Mailboxes.WaitForCountsAsync(users[0], 2, 0, Wait));
            Assert.Equal((1, 0), await Mailboxes.WaitForCountsAsync(users[1], 1, 0, Wait));

            // Retro-remediation learned both copies of the campaign from the delivered-copy topic; the edge's admin
            // API (what gatewayctl calls) finds them.
            using var admin = new HttpClient
            {
                BaseAddress = new Uri($"http://127.0.0.1:{edge.Process.HttpPort}/"),
                Timeout = TimeSpan.FromSeconds(60),
            };
            Assert.True(await WaitUntilAsync(async () =>
                (await AdminAsync<DeliveriesLookup>(admin, "api/v1/deliveries", spam)).Copies.Count == 2));

            // Sender intelligence counted the client's outcomes from the reputation topic (2 messages, 3 copies).
            using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(
                TestEnvironment.Require(TestEnvironment.RedisVariable)))
            {
                var key = cluster.KeyPrefix + "rep:ip:127.0.0.1";
                Assert.True(await WaitUntilAsync(async () =>
                {
                    var counters = await redis.GetDatabase().HashGetAllAsync(key);
                    return counters.FirstOrDefault(e => e.Name == "accepted").Value == 3
                        && counters.FirstOrDefault(e => e.Name == "delivered").Value == 3;
                }), "reputation counters of 127.0.0.1");
                Assert.True(await redis.GetDatabase().KeyTimeToLiveAsync(key) > TimeSpan.Zero);
            }

            // ...and the tier's own reputation of the client rose with the delivered mail.
            using (var senderChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{cluster.SenderIntelligenceGrpcPort}"))
            {
                var sender = new V1.SenderIntelligence.SenderIntelligenceClient(senderChannel);
                Assert.True(await WaitUntilAsync(async () =>
                    (await sender.GetProfileAsync(new SenderProfileRequest { Subject = "127.0.0.1" },
                        cluster.GrpcAuthorization)).Reputation > 0),
                    "reputation of 127.0.0.1 after delivered mail");
            }

            // Nothing is left in the queue once both messages are delivered (the delivery group committed them).
            Assert.True(await WaitUntilAsync(async () =>
            {
                var queue = QueueListing.Parser.ParseJson(await admin.GetStringAsync("api/v1/queue"));
                return queue.Status.RecordsWaiting == 0 && queue.Status.Messages == 0 && queue.Messages.Count == 0;
            }));

            // Convicted by a spam report: the event goes through Kafka, remediation moves both copies.
            var report = await AdminAsync<ReportResult>(admin, "api/v1/report/spam", spam);
            Assert.True(report.Changed);
            Assert.Null(report.Remediation);
            Assert.Equal((1, 1), await Mailboxes.WaitForCountsAsync(users[0], 1, 1, Wait));
            Assert.Equal((0, 1), await Mailboxes.WaitForCountsAsync(users[1], 0, 1, Wait));
            var moved = await AdminAsync<DeliveriesLookup>(admin, "api/v1/deliveries", spam);
            Assert.All(moved.Copies, c => Assert.Equal(CopyState.MovedToJunk, c.State));

            // What remediation did is published on the actions topic.
            var action = ReadActions(cluster).FirstOrDefault(a => a.Kind == FingerprintEventKind.Convicted);
            Assert.NotNull(action);
            Assert.Equal(2, action.Summary.CopiesActed);

            // ...and the convicted message (one, with two copies) is charged to its client through the reputation
            // topic: sender intelligence counts one more spam message for 127.0.0.1.
            using (var senderChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{cluster.SenderIntelligenceGrpcPort}"))
            {
                var sender = new V1.SenderIntelligence.SenderIntelligenceClient(senderChannel);
                Assert.True(await WaitUntilAsync(async () =>
                    (await sender.GetProfileAsync(new SenderProfileRequest { Subject = "127.0.0.1" },
                        cluster.GrpcAuthorization)).Statistics.SpamMessages == 1),
                    "spam messages of 127.0.0.1 after the conviction");
            }

            // The edge's admin API serves what gatewayctl asks in cluster mode too: the sender's profile (from sender
            // intelligence) and the remediation audit (from retro-remediation), both over gRPC.
            var profile = await AdminGetAsync<SenderProfile>(admin, "api/v1/sender?subject=127.0.0.1");
            Assert.Equal("127.0.0.1", profile.Subject);
            Assert.Equal(1, profile.Statistics.SpamMessages);
            var audit = await AdminGetAsync<RemediationActionsPage>(admin, "api/v1/remediation/actions?limit=50");
            Assert.Equal(2, audit.Actions.Count(a => a.Action == "move_to_junk" && a.Result == "done"));
            var bad = await admin.GetAsync("api/v1/sender?subject=not%20an%20address");
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);

            // An admin ham report (here straight to the filter over gRPC) reverses the conviction and puts both
            // copies back.
            var reversal = await tiers.Filter.ReportAsync(
                new ReportRequest { Kind = ReportKind.Ham, Message = ByteString.CopyFromUtf8(spam), Source = "admin" },
                CancellationToken.None);
            Assert.True(reversal.Changed);
            Assert.Equal((2, 0), await Mailboxes.WaitForCountsAsync(users[0], 2, 0, Wait));
            Assert.Equal((1, 0), await Mailboxes.WaitForCountsAsync(users[1], 1, 0, Wait));
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.LmtpVariable, TestEnvironment.ImapVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task Cluster_EveryService_ServesHealthAndMetrics()
    {
        await using var cluster = await TestCluster.StartAsync(output);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            foreach (var service in cluster.Services)
            {
                var live = await http.GetAsync($"http://127.0.0.1:{service.HttpPort}/healthz/live");
                Assert.True(live.IsSuccessStatusCode, $"{service.Name} live: {live.StatusCode}");
                var ready = await http.GetStringAsync($"http://127.0.0.1:{service.HttpPort}/healthz/ready");
                Assert.StartsWith("Healthy", ready);
                Assert.Contains("redis: Healthy", ready);
                Assert.Contains("kafka: Healthy", ready);
                var metrics = await http.GetStringAsync($"http://127.0.0.1:{service.HttpPort}/metrics");
                Assert.Contains("process_cpu_seconds_total", metrics);
            }

            // The edge is ready only with both tiers it calls; its gRPC health says so too.
            var edgeReady = await http.GetStringAsync(
                $"http://127.0.0.1:{cluster.Edges[0].Process.HttpPort}/healthz/ready");
            Assert.Contains("tier:SenderIntelligence: Healthy", edgeReady);
            Assert.Contains("tier:FingerprintFilter: Healthy", edgeReady);
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{cluster.FingerprintFilterGrpcPort}");
            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    private static async Task<T> AdminAsync<T>(HttpClient admin, string path, string message)
        where T : IMessage<T>, new()
    {
        using var response = await admin.PostAsync(path, new StringContent(message, Encoding.UTF8, "message/rfc822"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return new MessageParser<T>(() => new T()).ParseJson(body);
    }

    private static async Task<T> AdminGetAsync<T>(HttpClient admin, string path)
        where T : IMessage<T>, new()
    {
        using var response = await admin.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return new MessageParser<T>(() => new T()).ParseJson(body);
    }

    private static List<RemediationAction> ReadActions(TestCluster cluster)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.Kafka.BootstrapServers,
            GroupId = "test-actions-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe("gateway.remediation.actions");
        var actions = new List<RemediationAction>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && actions.Count == 0)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (record?.Message?.Value is { } value)
            {
                Assert.Equal("gateway.v1.RemediationAction", Encoding.ASCII.GetString(
                    record.Message.Headers.GetLastBytes("gw-type")));
                actions.Add(RemediationAction.Parser.ParseFrom(value));
            }
        }

        consumer.Close();
        return actions;
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
