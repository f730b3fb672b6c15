using System.Diagnostics;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Gateway.V1;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// The envelope calls to sender intelligence: CheckMail, CheckRcpt, CheckEndOfData, CloseSession; their
/// refusals become the reply, their tarpit is waited (bounded), and a failing tier answers 4xx.
/// </summary>
public sealed class SenderCheckTests
{
    private static readonly byte[] Simple = "Subject: hello\r\n\r\nbody\r\n.\r\n"u8.ToArray();

    [Fact]
    public async Task Envelope_Accepted_EveryCheckGetsTheSessionFacts()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync("client.test");

        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test> SIZE=1234")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<User@Example.TEST>")).Status);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync(Simple);
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        Assert.Equal("500 5.5.2", (await client.CommandAsync("BOGUS")).Status);
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("550 5.7.1", (await client.CommandAsync("RCPT TO:<user@elsewhere.test>")).Status);
        await client.QuitAsync();

        Assert.Equal(2, server.Sender.Mails.Count);
        var mail = server.Sender.Mails.First();
        Assert.Equal(("127.0.0.1", "client.test", "a@sender.test", 1234L),
            (mail.ClientIp, mail.Helo, mail.MailFrom, mail.DeclaredSize));
        var rcpt = Assert.Single(server.Sender.Rcpts);
        Assert.Equal(mail.SessionId, rcpt.SessionId);
        Assert.Equal("User@example.test", rcpt.Recipient);
        Assert.False(rcpt.RecipientUnknown);
        var end = Assert.Single(server.Sender.EndsOfData);
        Assert.Equal((1, ContentVerdict.Clean), (end.Recipients, end.Content));
        Assert.Equal(server.Spool.Single().Content.Length, end.SizeBytes);

        var close = await server.Sender.NextReleaseAsync();
        Assert.Equal(mail.SessionId, close.SessionId);
        Assert.Equal("lease-1", close.LeaseId);
        Assert.Equal(1, close.ProtocolErrors);
    }

    [Fact]
    public async Task Mail_OverLimit_451AndNoTransaction()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Sender.Mail = _ => new MailDecision
        {
            Verdict = StubSenderIntelligence.Refusal(V1.Action.Tempfail, 451, "4.7.1", "Too many messages per hour"),
        };
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.CommandAsync("MAIL FROM:<a@sender.test>");

        Assert.Equal("451 4.7.1", reply.Status);
        Assert.Contains("Too many messages per hour", reply.Text);
        Assert.Equal("503 5.5.1", (await client.CommandAsync("RCPT TO:<user@example.test>")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Mail_SenderBlocked_550()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Sender.Mail = _ => new MailDecision
        {
            Verdict = StubSenderIntelligence.Refusal(V1.Action.Reject, 550, "5.7.1", "Sender blocked"),
        };
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("550 5.7.1", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Mail_Refusal421_ClosesSession()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Sender.Mail = _ => new MailDecision
        {
            Verdict = StubSenderIntelligence.Refusal(V1.Action.Tempfail, 421, "4.7.0", "Go away"),
        };
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("421 4.7.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Mail_TierThrows_451AndSessionGoesOn()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Sender.Mail = _ => throw new InvalidOperationException("store down");
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("451 4.3.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("250 2.0.0", (await client.CommandAsync("NOOP")).Status);
        await client.QuitAsync();
        Assert.Contains("SmtpSenderCheckFailed", server.Logger.Names);
    }

    [Fact]
    public async Task Rcpt_Refused_ReplacesTheEdgeAnswer()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Sender.Rcpt = r => r.Recipient == "many@example.test"
            ? new RcptDecision
            {
                Verdict = StubSenderIntelligence.Refusal(V1.Action.Tempfail, 451, "4.7.1", "Too many recipients"),
            }
            : new RcptDecision { Verdict = new Verdict { Action = V1.Action.Accept } };
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<user@example.test>")).Status);
        Assert.Equal("451 4.7.1", (await client.CommandAsync("RCPT TO:<many@example.test>")).Status);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync(Simple);
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();

        var stored = server.Spool.Single();
        Assert.Equal(new[] { "user@example.test" }, stored.Envelope.Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task Rcpt_TierThrows_451ForThatRecipient()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Sender.Rcpt = _ => throw new TimeoutException();
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("451 4.3.0", (await client.CommandAsync("RCPT TO:<user@example.test>")).Status);
        Assert.Equal("554 5.5.1", (await client.CommandAsync("DATA")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Mail_Tarpit_RepliesToMailAndRcptDelayedButBounded()
    {
        await using var server = await TestSmtpServer.StartAsync(
            o => o.MaxTarpitDelay = TimeSpan.FromMilliseconds(300));
        server.Sender.Mail = _ => new MailDecision
        {
            Verdict = new Verdict { Action = V1.Action.Accept },
            TarpitDelayMs = 60_000,
        };
        await using var client = await server.ConnectAndHelloAsync();

        var clock = Stopwatch.StartNew();
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<user@example.test>")).Status);
        clock.Stop();

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(550), TimeSpan.FromSeconds(8));
        await client.QuitAsync();
    }

    [Fact]
    public async Task EndOfData_OverBytesPerHour_CleanMessageDeferredNotSpooled()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Sender.EndOfData = _ => new EndOfDataDecision
        {
            Verdict = StubSenderIntelligence.Refusal(V1.Action.Tempfail, 451, "4.7.1", "Too many bytes per hour"),
        };
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(Simple);

        Assert.Equal("451 4.7.1", reply.Status);
        Assert.Contains("Too many bytes per hour", reply.Text);
        Assert.Empty(server.Spool.Stored);
        await client.QuitAsync();
    }

    [Fact]
    public async Task EndOfData_FilterRejects_CountedAsSpamAndFilterReplyKept()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Filter.Respond = _ => new ScanResult
        {
            Verdict = new Verdict { Action = V1.Action.Reject, SmtpCode = 550, EnhancedCode = "5.7.1", Text = "Spam" },
            Classification = ScanClass.Spam,
        };
        server.Sender.EndOfData = _ => new EndOfDataDecision
        {
            Verdict = StubSenderIntelligence.Refusal(V1.Action.Tempfail, 451, "4.7.1", "Too many bytes per hour"),
        };
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("550 5.7.1", (await client.SendMessageAsync(Simple)).Status);
        await client.QuitAsync();
        Assert.Equal(ContentVerdict.Spam, Assert.Single(server.Sender.EndsOfData).Content);
    }

    [Fact]
    public async Task EndOfData_TierThrows_451NotSpooled()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Sender.EndOfData = _ => throw new InvalidOperationException("store down");
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("451 4.3.0", (await client.SendMessageAsync(Simple)).Status);
        Assert.Empty(server.Spool.Stored);
        Assert.Equal("250 2.0.0", (await client.CommandAsync("NOOP")).Status);
        await client.QuitAsync();
    }
}
