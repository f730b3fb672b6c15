using System.Net;
using System.Net.Http.Headers;
using Gateway.Cluster.Tests.Support;
using Gateway.Ctl.Cli;
using Gateway.MtaEdge.Queue;
using Gateway.Testing;
using Gateway.V1;
using Xunit.Abstractions;

namespace Gateway.Cluster.Tests.EndToEnd;

/// <summary>
/// Queue administration on a cluster edge, through its admin API and gatewayctl: mail to a delivery target that
/// is down is listed as deferred, shown, deleted (and then never delivered) or retried at once (and delivered
/// exactly once when the target is back, long before its own retry was due).
/// </summary>
public sealed class ClusterQueueAdminTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    // Long enough that a delivery within it can only come from "retry now"; short enough that the delayed
    // records (the deleted message's, the retried one's older one) are read while the test waits.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(40);

    [RequiresFact(TestEnvironment.RedisVariable, TestEnvironment.LmtpVariable, TestEnvironment.ImapVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task Queue_TargetDown_ListShowDeleteRetry_DeletedNeverDelivered_RetriedDeliveredOnce()
    {
        var lmtpPort = FreePort.Next();
        var token = "queue-admin-" + Guid.NewGuid().ToString("N");
        await using var cluster = await TestCluster.StartAsync(output, edgeSettings: new Dictionary<string, string>
        {
            ["Gateway__Delivery__Target"] = $"lmtp://127.0.0.1:{lmtpPort}",
            ["Gateway__Delivery__RetryInitialDelay"] = RetryDelay.ToString(),
            ["Gateway__Delivery__RetryMaxDelay"] = RetryDelay.ToString(),
            ["Gateway__Admin__Token"] = token,
        });
        var edge = cluster.Edges[0];
        var adminUrl = $"http://127.0.0.1:{edge.Process.HttpPort}/";
        using var http = new HttpClient { BaseAddress = new Uri(adminUrl), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var ann = $"ann{cluster.Run}@example.test";
        var ben = $"ben{cluster.Run}@example.test";
        try
        {
            // Mail in while nothing listens on the target's port: both messages are deferred after one attempt.
            string retried, deleted;
            await using (var smtp = await SmtpTestClient.ConnectAsync(edge.SmtpPort))
            {
                Assert.Equal(250, (await smtp.CommandAsync("EHLO client.test")).Code);
                retried = QueueId(await smtp.SendAsync("a@partner.invalid", [ann], TestMessages.Ham(ann, "Retried")));
                deleted = QueueId(await smtp.SendAsync("b@partner.invalid", [ben], TestMessages.Ham(ben, "Deleted")));
            }

            var listing = await WaitForListingAsync(http, l => l.Counts.DeferredMessages == 2);
            Assert.Equal(0, listing.Counts.NewMessages);
            Assert.Equal(2, listing.Counts.RecipientsPending);
            Assert.Equal(new[] { retried, deleted }.Order(StringComparer.Ordinal),
                listing.Messages.Select(m => m.QueueId).Order(StringComparer.Ordinal));
            Assert.All(listing.Messages, m => Assert.Equal(1, m.Attempts));

            var shown = QueuedMessageInfo.Parser.ParseJson(await http.GetStringAsync($"api/v1/queue/{retried}"));
            Assert.Equal(QueuedMessageState.Deferred, shown.State);
            Assert.Equal("a@partner.invalid", shown.MailFrom);
            var recipient = Assert.Single(shown.Recipients);
            Assert.Equal(ann, recipient.Address);
            Assert.Equal(QueuedRecipientState.Pending, recipient.State);
            Assert.StartsWith("4", recipient.LastResult);
            Assert.True(shown.NextAttemptAt.ToDateTimeOffset() > DateTimeOffset.UtcNow);

            // Errors as the standalone answers them; the token is required.
            Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("api/v1/queue?state=stuck")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound,
                (await http.GetAsync($"api/v1/queue/{QueueIdGenerator.Next()}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound,
                (await http.PostAsync($"api/v1/queue/{QueueIdGenerator.Next()}/retry", null)).StatusCode);
            using (var anonymous = new HttpClient { BaseAddress = new Uri(adminUrl) })
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/queue")).StatusCode);
                Assert.Equal(HttpStatusCode.Unauthorized,
                    (await anonymous.DeleteAsync($"api/v1/queue/{deleted}")).StatusCode);
            }

            // gatewayctl, unchanged, reads the cluster's listing and one message.
            var list = await GatewayctlAsync(adminUrl, token, "queue", "list");
            Assert.Equal(ExitCodes.Ok, list.ExitCode);
            Assert.Contains("2 deferred", list.Out);
            Assert.Contains("2 messages queued", list.Out); // messages, not Kafka records (retries add records)
            Assert.Contains(retried, list.Out);
            Assert.Contains(deleted, list.Out);
            var show = await GatewayctlAsync(adminUrl, token, "queue", "show", retried);
            Assert.Equal(ExitCodes.Ok, show.ExitCode);
            Assert.Contains(ann, show.Out);

            // Delete one: gone from the queue at once.
            Assert.Equal(ExitCodes.Ok, (await GatewayctlAsync(adminUrl, token, "queue", "delete", deleted)).ExitCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"api/v1/queue/{deleted}")).StatusCode);

            // The target comes back; retry the other now, long before its delayed record is due.
            using var relay = new TcpRelay(lmtpPort, TestEnvironment.HostPort(TestEnvironment.LmtpVariable));
            Assert.Equal(ExitCodes.Ok, (await GatewayctlAsync(adminUrl, token, "queue", "retry", retried)).ExitCode);
            Assert.Equal((1, 0), await Mailboxes.WaitForCountsAsync(ann, 1, 0, TimeSpan.FromSeconds(30)));
            await WaitForListingAsync(http, l => l.Messages.Count == 0);

            // Once every record has been read (the delayed ones included), the retried message is still there once
            // and the deleted one never arrived.
            Assert.True(await WaitUntilAsync(async () => QueueListing.Parser.ParseJson(
                    await http.GetStringAsync("api/v1/queue")).Status.RecordsWaiting == 0, RetryDelay + Wait),
                "records left on the queue and delay topics");
            Assert.Equal((1, 0), await Mailboxes.CountAsync(ann));
            Assert.Equal((0, 0), await Mailboxes.CountAsync(ben));
            Assert.Contains(edge.Process.Output, line => line.Contains(deleted, StringComparison.Ordinal)
                && line.Contains("dropped without delivery", StringComparison.Ordinal));
        }
        catch
        {
            cluster.DumpLogs();
            throw;
        }
    }

    private static string QueueId(SmtpReply reply)
    {
        Assert.Equal(250, reply.Code);
        var id = reply.Text.Split(' ').Last();
        Assert.True(FileMessageSpool.IsSafeQueueId(id), reply.Text);
        return id;
    }

    private static async Task<QueueListing> WaitForListingAsync(HttpClient http, Func<QueueListing, bool> done)
    {
        QueueListing? last = null;
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            last = QueueListing.Parser.ParseJson(await http.GetStringAsync("api/v1/queue"));
            if (done(last))
            {
                return last;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"queue listing never as expected; last: {last}");
        return last!;
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(1000);
        }

        return false;
    }

    private async Task<(int ExitCode, string Out)> GatewayctlAsync(string url, string token, params string[] command)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await GatewayctlApp.RunAsync(["--admin", url, "--token", token, .. command], stdout, stderr,
            _ => null, CancellationToken.None);
        output.WriteLine($"gatewayctl {string.Join(' ', command)} -> {code}\n{stdout}{stderr}");
        return (code, stdout.ToString());
    }
}
