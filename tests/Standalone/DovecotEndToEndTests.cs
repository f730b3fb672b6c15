using System.Net;
using System.Text;
using Gateway.Testing;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Xunit.Abstractions;

namespace Gateway.Standalone.Tests;

/// <summary>
/// The walking skeleton against a real Dovecot: delivery over LMTP, remediation over IMAP with the
/// master user, and the undo. Needs the Dovecot that tools/test.sh starts.
/// </summary>
public sealed class DovecotEndToEndTests(ITestOutputHelper output)
{
    [RequiresFact(TestEnvironment.LmtpVariable, TestEnvironment.ImapVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task LmtpDelivery_ThenSpamReport_MovesCopiesToJunkOverImap_AndHamUndoes()
    {
        var (lmtpHost, lmtpPort) = TestEnvironment.HostPort(TestEnvironment.LmtpVariable);
        var (imapHost, imapPort) = TestEnvironment.HostPort(TestEnvironment.ImapVariable);
        var run = Guid.NewGuid().ToString("N")[..10];
        string[] users = [$"ann{run}@example.test", $"ben{run}@example.test"];

        var gateway = await GatewayInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Delivery:Target"] = $"lmtp://{lmtpHost}:{lmtpPort}",
            ["Gateway:Remediation:Imap:Host"] = imapHost,
            ["Gateway:Remediation:Imap:Port"] = imapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:Remediation:Imap:Security"] = "None",
            ["Gateway:Remediation:Imap:MasterUser"] = TestEnvironment.Require(TestEnvironment.MasterUserVariable),
            ["Gateway:Remediation:Imap:MasterPassword"] = TestEnvironment.Require(TestEnvironment.MasterPasswordVariable),
        });
        try
        {
            using var admin = gateway.AdminClient();
            var spam = TestMessages.Campaign("lmtp-" + run, users[0], "Exclusive offer");
            var sent = await SmtpSend.SendAsync(gateway.SmtpPort, "offers@promo.invalid", users, spam);
            Assert.Equal(250, sent.Final!.Code);
            var ham = TestMessages.Ham(users[0], "Minutes " + run);
            Assert.Equal(250, (await SmtpSend.SendAsync(gateway.SmtpPort, "colleague@partner.invalid", [users[0]], ham))
                .Final!.Code);

            Assert.True(await WaitForCountsAsync(users[0], imapHost, imapPort, inbox: 2, junk: 0));
            Assert.True(await WaitForCountsAsync(users[1], imapHost, imapPort, inbox: 1, junk: 0));

            var report = await AdminApi.ReportAsync(admin, "spam", Encoding.UTF8.GetBytes(spam));
            output.WriteLine(report.ToString());
            Assert.Equal(2, report.Remediation.CopiesActed);
            Assert.True(await WaitForCountsAsync(users[0], imapHost, imapPort, inbox: 1, junk: 1));
            Assert.True(await WaitForCountsAsync(users[1], imapHost, imapPort, inbox: 0, junk: 1));

            var reversal = await AdminApi.ReportAsync(admin, "ham", Encoding.UTF8.GetBytes(spam));
            Assert.Equal(2, reversal.Remediation.CopiesActed);
            Assert.True(await WaitForCountsAsync(users[0], imapHost, imapPort, inbox: 2, junk: 0));
            Assert.True(await WaitForCountsAsync(users[1], imapHost, imapPort, inbox: 1, junk: 0));
        }
        finally
        {
            await gateway.DisposeAsync();
            gateway.DeleteData();
        }
    }

    /// <summary>Polls the user's INBOX and Junk over IMAP (as the master user) until the counts match.</summary>
    private async Task<bool> WaitForCountsAsync(string user, string host, int port, int inbox, int junk)
    {
        (int Inbox, int Junk) seen = (-1, -1);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            seen = await CountAsync(user, host, port);
            if (seen == (inbox, junk))
            {
                return true;
            }

            await Task.Delay(200);
        }

        output.WriteLine($"{user}: expected INBOX={inbox} Junk={junk}, saw INBOX={seen.Inbox} Junk={seen.Junk}");
        return false;
    }

    private static async Task<(int Inbox, int Junk)> CountAsync(string user, string host, int port)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync(host, port, SecureSocketOptions.None);
        var credentials = new NetworkCredential(
            TestEnvironment.Require(TestEnvironment.MasterUserVariable),
            TestEnvironment.Require(TestEnvironment.MasterPasswordVariable));
        await imap.AuthenticateAsync(new SaslMechanismPlain(credentials) { AuthorizationId = user });
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var inboxCount = (await inbox.SearchAsync(SearchQuery.All)).Count;
        var junkCount = 0;
        try
        {
            var junk = await imap.GetFolderAsync("Junk");
            await junk.OpenAsync(FolderAccess.ReadOnly);
            junkCount = (await junk.SearchAsync(SearchQuery.All)).Count;
        }
        catch (FolderNotFoundException)
        {
        }

        await imap.DisconnectAsync(true);
        return (inboxCount, junkCount);
    }
}
