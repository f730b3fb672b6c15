using Gateway.MtaEdge.Tests.Smtp.Support;
using Gateway.V1;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// Spam traps and the abuse mailbox: traps accepted whatever domain, the intake called before the scan
/// with every recipient, consumed recipients never delivered, and a failing intake answers 451.
/// </summary>
public sealed class ReportIntakeTests
{
    private static readonly byte[] Simple = "Subject: cheap pills\r\n\r\nbuy now\r\n.\r\n"u8.ToArray();

    [Fact]
    public async Task Rcpt_TrapOutsideLocalDomains_Accepted()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.ReportIntake.Traps.Add("trap@old-domain.test");
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<trap@old-domain.test>")).Status);
        Assert.Equal("550 5.7.1", (await client.CommandAsync("RCPT TO:<other@old-domain.test>")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Data_TrapAndUser_IntakeBeforeScanAndTrapNotDelivered()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.ReportIntake.Traps.Add("trap@example.test");
        var intakeCallsAtScan = -1;
        server.Filter.Respond = request =>
        {
            intakeCallsAtScan = server.ReportIntake.Requests.Count;
            return new ScanResult { Verdict = new Verdict { Action = V1.Action.Accept } };
        };
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(Simple, "a@sender.test", "trap@example.test", "user@example.test");

        Assert.Equal("250 2.0.0", reply.Status);
        await client.QuitAsync();
        var intake = Assert.Single(server.ReportIntake.Requests);
        Assert.Equal(new[] { "trap@example.test", "user@example.test" }, intake.Recipients);
        Assert.Equal("a@sender.test", intake.MailFrom);
        Assert.Contains("Subject: cheap pills", intake.Message.ToStringUtf8());
        Assert.Equal(1, intakeCallsAtScan);
        Assert.Equal(new[] { "user@example.test" }, Assert.Single(server.Filter.Scans).Recipients);
        var stored = server.Spool.Single();
        Assert.Equal(new[] { "user@example.test" }, stored.Envelope.Recipients.Select(r => r.Address));
        var outcome = Assert.Single(server.Sender.Outcomes);
        Assert.Equal((OutcomeKind.TrapHit, 1, "sender.test"), (outcome.Kind, outcome.Count, outcome.SenderDomain));
    }

    [Fact]
    public async Task Data_OnlyTrap_AcceptedNothingSpooledNothingScanned()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.ReportIntake.Traps.Add("trap@example.test");
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("250 2.0.0", (await client.SendMessageAsync(Simple, "a@sender.test", "trap@example.test")).Status);
        await client.QuitAsync();

        Assert.Single(server.ReportIntake.Requests);
        Assert.Empty(server.Filter.Scans);
        Assert.Empty(server.Spool.Stored);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task Data_Abuse_DeliveredOnlyWhenConfigured(bool deliver, int stored)
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.ReportIntake.Abuse.Add("abuse@example.test");
        server.ReportIntake.DeliverAbuseReports = deliver;
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(Simple, "a@sender.test", "abuse@example.test");
        Assert.Equal("250 2.0.0", reply.Status);
        await client.QuitAsync();

        Assert.Single(server.ReportIntake.Requests);
        Assert.Equal(stored, server.Spool.Stored.Count);
        Assert.Empty(server.Sender.Outcomes);
    }

    [Fact]
    public async Task Data_NoReportRecipient_IntakeNotCalled()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.ReportIntake.Traps.Add("trap@example.test");
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("250 2.0.0", (await client.SendMessageAsync(Simple)).Status);
        await client.QuitAsync();
        Assert.Empty(server.ReportIntake.Requests);
    }

    [Fact]
    public async Task Data_IntakeStoreUnavailable_451NothingScannedOrSpooled()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.ReportIntake.Traps.Add("trap@example.test");
        server.ReportIntake.Failure = new InvalidOperationException("store unavailable");
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(Simple, "a@sender.test", "trap@example.test", "user@example.test");

        Assert.Equal("451 4.3.0", reply.Status);
        Assert.Empty(server.Filter.Scans);
        Assert.Empty(server.Spool.Stored);
        Assert.Equal("250 2.0.0", (await client.CommandAsync("NOOP")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Data_AcceptWithHeaders_SenderSpamFieldsReplacedByFilterFields()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Filter.Respond = _ => new ScanResult
        {
            Verdict = new Verdict { Action = V1.Action.Accept },
            Classification = ScanClass.Spam,
            Headers =
            {
                new HeaderField { Name = "X-Spam-Flag", Value = "YES" },
                new HeaderField { Name = "X-Spam-Status", Value = "Yes, score=10.0\r\nInjected: 1" },
            },
        };
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(
            ("X-Spam-Flag: NO\r\nSubject: hi\r\nx-spam-status: No,\r\n\tscore=-5\r\nFrom: a@sender.test\r\n\r\n"
             + "X-Spam-Flag: NO in the body stays\r\n.\r\n").Select(c => (byte)c).ToArray());

        Assert.Equal("250 2.0.0", reply.Status);
        await client.QuitAsync();
        var text = server.Spool.Single().Text;
        Assert.StartsWith("X-Spam-Flag: YES\r\nX-Spam-Status: Yes, score=10.0Injected: 1\r\nReceived: ", text);
        Assert.Contains("\r\nSubject: hi\r\nFrom: a@sender.test\r\n\r\nX-Spam-Flag: NO in the body stays\r\n", text);
        Assert.DoesNotContain("score=-5", text);
        Assert.Equal(ContentVerdict.Spam, Assert.Single(server.Sender.EndsOfData).Content);
        Assert.Equal(server.Spool.Single().Content.Length, server.Spool.Single().Envelope.Size);
    }

    [Fact]
    public async Task Data_FilterTempfail_451()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Filter.Respond = _ => new ScanResult
        {
            Verdict = new Verdict { Action = V1.Action.Tempfail, SmtpCode = 451, EnhancedCode = "4.7.0" },
        };
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("451 4.7.0", (await client.SendMessageAsync(Simple)).Status);
        Assert.Empty(server.Spool.Stored);
        await client.QuitAsync();
    }
}
