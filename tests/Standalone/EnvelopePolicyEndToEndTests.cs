using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Gateway.Standalone.Tests;

/// <summary>
/// The edge's calls to sender intelligence and the filter's per-domain policy, through the real tiers
/// of the standalone gateway: a sender over its probation limit is deferred, a tag policy delivers with
/// the filter's X-Spam-* fields instead of the sender's.
/// </summary>
public sealed class EnvelopePolicyEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ProbationSender_OverMessagesPerHour_Deferred451_4_7_1()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "gw-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var policy = Path.Combine(dataDir, "sender-policy.yaml");
        // No rules: loopback is not trusted, so this new sender starts in probation.
        await File.WriteAllTextAsync(policy,
            "tiers:\n  probation: { messages_per_hour: 1, tarpit: 0ms }\nrules: []\n");
        var gateway = await GatewayInstance.StartAsync(
            new Dictionary<string, string?> { ["Gateway:Sender:Local:PolicyFile"] = policy }, dataDir);
        try
        {
            var first = await SmtpSend.SendAsync(gateway.SmtpPort, "news@sender.invalid", ["alice@example.test"],
                TestMessages.Ham("alice@example.test", "first"));
            Assert.Equal(250, first.Final!.Code);

            var second = await SmtpSend.SendAsync(gateway.SmtpPort, "news@sender.invalid", ["alice@example.test"],
                TestMessages.Ham("alice@example.test", "second"));
            output.WriteLine(second.Mail.ToString());
            Assert.Equal(451, second.Mail.Code);
            Assert.Equal("4.7.1", second.Mail.Enhanced);
            Assert.Null(second.Final);
        }
        finally
        {
            await gateway.DisposeAsync();
            gateway.DeleteData();
        }
    }

    [Fact]
    public async Task TagPolicy_KnownSpam_DeliveredWithFilterFlagNotTheSendersForgedOne()
    {
        var gateway = await GatewayInstance.StartAsync(
            new Dictionary<string, string?> { ["Gateway:Fingerprint:Policy:Domains:example.test"] = "Tag" });
        try
        {
            var maildir = new MaildirProbe(gateway.MaildirRoot);
            using var admin = gateway.AdminClient();

            // Teach the filter the campaign.
            var report = await AdminApi.ReportAsync(admin, "spam",
                Encoding.UTF8.GetBytes(TestMessages.Campaign("c-88", "someone@example.test", "Reward")));
            Assert.True(report.Changed);

            // A copy with a forged all-clear is accepted (tag, not reject) and delivered with our verdict.
            var forged = "X-Spam-Flag: NO\r\nX-Spam-Status: No, score=-100\r\n"
                + TestMessages.Campaign("c-88", "carol@example.test", "Another reward", "<copy-2@promo.invalid>");
            var sent = await SmtpSend.SendAsync(gateway.SmtpPort, "offers@promo.invalid", ["carol@example.test"],
                forged);
            Assert.Equal(250, sent.Final!.Code);
            Assert.Equal("2.0.0", sent.Final.Enhanced);

            Assert.True(await MaildirProbe.WaitAsync(
                () => maildir.Inbox("carol").Count + maildir.Junk("carol").Count == 1, TimeSpan.FromSeconds(30)),
                "the tagged copy should be delivered to carol");
            var path = maildir.Inbox("carol").Concat(maildir.Junk("carol")).Single();
            var copy = await File.ReadAllTextAsync(path);
            var header = copy[..copy.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
            output.WriteLine(header);
            var flags = Regex.Matches(header, "^X-Spam-Flag:(.*)$", RegexOptions.Multiline | RegexOptions.IgnoreCase);
            Assert.Equal("YES", Assert.Single(flags).Groups[1].Value.Trim());
            Assert.DoesNotContain("score=-100", header);
            Assert.Matches(new Regex("^X-Spam-Status: Yes", RegexOptions.Multiline), header);
        }
        finally
        {
            await gateway.DisposeAsync();
            gateway.DeleteData();
        }
    }
}
