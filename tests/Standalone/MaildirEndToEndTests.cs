using System.Text;
using Gateway.V1;
using Xunit.Abstractions;

namespace Gateway.Standalone.Tests;

/// <summary>
/// The walking skeleton end to end with the standalone defaults: SMTP in, Maildir delivery,
/// a spam report, every delivered copy moved to Junk, later copies refused, and a ham report undoing it.
/// </summary>
public sealed class MaildirEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ReportSpam_MovesEveryDeliveredCopyToJunk_AndRefusesLaterCopies()
    {
        var gateway = await GatewayInstance.StartAsync();
        try
        {
            var maildir = new MaildirProbe(gateway.MaildirRoot);
            using var admin = gateway.AdminClient();

            // Deliver: one campaign message to two mailboxes, one ham message to one of them.
            var spam = TestMessages.Campaign("c-417", "alice@example.test", "Your reward is waiting");
            var sent = await SmtpSend.SendAsync(gateway.SmtpPort, "offers@promo.invalid",
                ["alice@example.test", "Bob+shop@EXAMPLE.test."], spam);
            Assert.All(sent.Rcpts, r => Assert.Equal(250, r.Code));
            Assert.Equal(250, sent.Final!.Code);
            Assert.Equal("2.0.0", sent.Final.Enhanced);
            output.WriteLine(sent.Final.Text);

            var ham = TestMessages.Ham("alice@example.test", "Meeting minutes");
            Assert.Equal(250, (await SmtpSend.SendAsync(gateway.SmtpPort, "colleague@partner.invalid",
                ["alice@example.test"], ham)).Final!.Code);

            Assert.True(await MaildirProbe.WaitAsync(
                () => maildir.Inbox("alice").Count == 2 && maildir.Inbox("bob").Count == 1, TimeSpan.FromSeconds(30)),
                "three copies should be delivered to alice (2) and bob (1)");

            // The delivered copy carries our Received: header and a Message-ID, and the dot-stuffed line intact.
            var bobCopy = await File.ReadAllTextAsync(maildir.Inbox("bob")[0]);
            Assert.StartsWith("Return-Path: <offers@promo.invalid>\r\n", bobCopy);
            Assert.Contains("\r\nReceived: from client.test", bobCopy);
            Assert.Contains("by gw.test", bobCopy);
            Assert.Contains("\r\nMessage-ID: <", bobCopy, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("\r\n.a line that starts with a dot", bobCopy);

            // Report the copy bob received (as a user would forward it): both copies move to Junk.
            var spamBefore = (await AdminApi.SenderAsync(admin, "127.0.0.1")).Statistics.SpamMessages;
            var report = await AdminApi.ReportAsync(admin, "spam", Encoding.UTF8.GetBytes(bobCopy));
            output.WriteLine(report.ToString());
            Assert.True(report.Changed);
            Assert.NotEmpty(report.Fingerprints);
            Assert.Equal(2, report.Remediation.CopiesFound);
            Assert.Equal(2, report.Remediation.CopiesActed);
            Assert.Single(maildir.Junk("alice"));
            Assert.Single(maildir.Junk("bob"));
            Assert.Empty(maildir.Inbox("bob"));
            Assert.Single(maildir.Inbox("alice")); // the ham stays
            Assert.Contains("architecture meeting", await File.ReadAllTextAsync(maildir.Inbox("alice")[0]));

            // The client that sent the campaign is charged one spam message (one message, two copies).
            var sender = await AdminApi.SenderAsync(admin, "127.0.0.1");
            Assert.Equal(spamBefore + 1, sender.Statistics.SpamMessages);

            // The lookup shows both copies and what was done to them.
            var lookup = await AdminApi.DeliveriesAsync(admin, Encoding.UTF8.GetBytes(spam));
            Assert.Equal(2, lookup.Copies.Count);
            Assert.All(lookup.Copies, c => Assert.Equal(CopyState.MovedToJunk, c.State));

            // A later copy of the campaign (new subject and Message-ID) is refused at end of DATA.
            var again = await SmtpSend.SendAsync(gateway.SmtpPort, "offers@promo.invalid", ["carol@example.test"],
                TestMessages.Campaign("c-417", "carol@example.test", "Last chance!", "<other-id@promo.invalid>"));
            Assert.Equal(550, again.Final!.Code);
            Assert.Equal("5.7.1", again.Final.Enhanced);

            // A ham report reverses the conviction and moves the copies back.
            var reversal = await AdminApi.ReportAsync(admin, "ham", Encoding.UTF8.GetBytes(bobCopy));
            Assert.True(reversal.Changed);
            Assert.Equal(2, reversal.Remediation.CopiesActed);
            Assert.Empty(maildir.Junk("bob"));
            Assert.Single(maildir.Inbox("bob"));
            Assert.Equal(2, maildir.Inbox("alice").Count);
        }
        finally
        {
            await gateway.DisposeAsync();
            gateway.DeleteData();
        }
    }

    [Fact]
    public async Task Rcpt_ToForeignDomain_IsRefusedWith571_AndNothingIsQueued()
    {
        var gateway = await GatewayInstance.StartAsync();
        try
        {
            var sent = await SmtpSend.SendAsync(gateway.SmtpPort, "a@sender.test",
                ["victim@elsewhere.test", "user%elsewhere.test@example.test"], TestMessages.Ham("x@y.test", "relay"));
            Assert.All(sent.Rcpts, r =>
            {
                Assert.Equal(550, r.Code);
                Assert.Equal("5.7.1", r.Enhanced);
            });
            Assert.NotEqual(354, sent.Data!.Code);
            Assert.Null(sent.Final);
        }
        finally
        {
            await gateway.DisposeAsync();
            gateway.DeleteData();
        }
    }

    [Fact]
    public async Task HealthAndMetrics_AreServedOnTheAdminListener()
    {
        var gateway = await GatewayInstance.StartAsync();
        try
        {
            using var admin = gateway.AdminClient();
            Assert.Equal("ok", (await admin.GetStringAsync("/healthz")).Trim());
            var metrics = await admin.GetStringAsync("/metrics");
            Assert.Contains("gateway_", metrics);
        }
        finally
        {
            await gateway.DisposeAsync();
            gateway.DeleteData();
        }
    }
}
