using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Delivery.Transfer;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Tests.Delivery.Support;
using Gateway.MtaEdge.Tests.Queue.Support;
using Gateway.Testing;
using Gateway.V1;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

public sealed class MailTransferTargetTests
{
    private static readonly DeliveryOptions Timeouts = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        CommandTimeout = TimeSpan.FromSeconds(1),
        ConnectionReuseTime = TimeSpan.Zero,
    };

    [Fact]
    public async Task Smtp_AllAccepted_DeliversContentAndOneDataReplyForAll()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        var target = Smtp(server.Port);
        var (message, recipients) = Message("ann@example.test", "bob@example.test");
        var content = SpoolFactory.Content();

        var results = await target.DeliverAsync(message, content, recipients, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        Assert.All(results, r => Assert.Equal("250 2.0.0 Ok: queued", r.Reply));
        var received = Assert.Single(server.Received);
        Assert.Equal(content, received.Data);
        Assert.Equal("sender@example.net", received.MailFrom);
        Assert.Equal(["ann@example.test", "bob@example.test"], received.Recipients);
        Assert.Equal(MailboxStoreKind.Imap, target.StoreKind);
        Assert.Contains(server.Commands, c => c == "EHLO mx.example.test");
        Assert.Equal("QUIT", server.Commands.Last());
    }

    [Fact]
    public async Task Lmtp_PerRecipientReplies_DecideEachRecipient()
    {
        // ann: delivered; bob: refused at RCPT for good; carl: mailbox full after DATA; dan: over quota for good.
        await using var server = new FakeMailServer(TransferProtocol.Lmtp)
        {
            RcptReply = (_, rcpt) => rcpt.StartsWith("bob")
                ? "550 5.1.1 <bob@example.test>: User unknown"
                : "250 2.1.5 OK",
            DataReply = (_, rcpt) => rcpt switch
            {
                "carl@example.test" => "452 4.2.2 <carl@example.test> Mailbox is full",
                "dan@example.test" => "552 5.2.2 <dan@example.test> Quota exceeded",
                _ => $"250 2.0.0 <{rcpt}> Saved",
            },
        };
        var target = Lmtp(server.Port);
        var (message, recipients) = Message(
            "ann@example.test", "bob@example.test", "carl@example.test", "dan@example.test");

        var results = await target.DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None);

        Assert.Equal(
            [DeliveryOutcome.Delivered, DeliveryOutcome.PermanentFailure, DeliveryOutcome.TemporaryFailure,
                DeliveryOutcome.PermanentFailure],
            results.Select(r => r.Outcome));
        Assert.StartsWith("250 2.0.0", results[0].Reply);
        Assert.StartsWith("550 5.1.1", results[1].Reply);
        Assert.StartsWith("452 4.2.2", results[2].Reply);
        Assert.StartsWith("552 5.2.2", results[3].Reply);
        Assert.Contains(server.Commands, c => c == "LHLO mx.example.test");
        Assert.Equal(
            ["ann@example.test", "carl@example.test", "dan@example.test"], Assert.Single(server.Received).Recipients);
    }

    [Fact]
    public async Task Smtp_DotsAtLineStart_AreStuffedOnTheWireAndArriveIntact()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        var content = "Subject: dots\r\n\r\n.\r\n..\r\n.x\r\n"u8.ToArray();
        var (message, recipients) = Message("ann@example.test");

        await Smtp(server.Port).DeliverAsync(message, content, recipients, CancellationToken.None);

        Assert.Equal(content, Assert.Single(server.Received).Data);
    }

    [Fact]
    public async Task Smtp_EightBitBody_DeclaredOnlyWhenOffered()
    {
        await using var offering = new FakeMailServer(TransferProtocol.Smtp);
        await using var plain = new FakeMailServer(TransferProtocol.Smtp) { Extensions = ["ENHANCEDSTATUSCODES"] };
        var (message, recipients) = Message("ann@example.test");
        message = With8Bit(message);

        await Smtp(offering.Port).DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None);
        await Smtp(plain.Port).DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None);

        Assert.Contains(offering.Commands, c => c.StartsWith("MAIL FROM:<sender@example.net> BODY=8BITMIME SIZE="));
        Assert.Contains(plain.Commands, c => c == "MAIL FROM:<sender@example.net>");
        Assert.Single(plain.Received);
    }

    [Fact]
    public async Task Smtp_Utf8MessageToServerWithoutSmtpUtf8_FailsEveryRecipientWith567()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp) { Extensions = ["8BITMIME"] };
        var (message, recipients) = Message("ann@example.test", "bob@example.test");
        message = WithUtf8(message);

        var results = await Smtp(server.Port)
            .DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.PermanentFailure, r.Outcome));
        Assert.All(results, r => Assert.StartsWith("553 5.6.7", r.Reply));
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("MAIL"));
    }

    [Fact]
    public async Task Lmtp_Utf8MessageToServerWithSmtpUtf8_SendsTheParameter()
    {
        await using var server = new FakeMailServer(TransferProtocol.Lmtp);
        var (message, recipients) = Message("jörg@example.test");
        message = WithUtf8(message);

        var results = await Lmtp(server.Port)
            .DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        Assert.Contains(
            server.Commands, c => c.StartsWith("MAIL FROM:<sender@example.net>") && c.Contains(" SMTPUTF8"));
        Assert.Contains(server.Commands, c => c == "RCPT TO:<jörg@example.test>");
    }

    [Theory]
    [InlineData("451 4.3.0 Try again later", DeliveryOutcome.TemporaryFailure)]
    [InlineData("550 5.7.1 Sender refused", DeliveryOutcome.PermanentFailure)]
    public async Task Smtp_MailRefused_AppliesToEveryRecipient(string reply, DeliveryOutcome outcome)
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp) { MailReply = (_, _) => reply };
        var (message, recipients) = Message("ann@example.test", "bob@example.test");

        var results = await Smtp(server.Port)
            .DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(outcome, r.Outcome));
        Assert.All(results, r => Assert.Equal(reply, r.Reply));
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Smtp_GreetingRefusedForGood_IsStillOnlyTemporary()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp) { Greeting = "554 5.3.2 No service" };
        var (message, recipients) = Message("ann@example.test");

        var result = Assert.Single(
            await Smtp(server.Port).DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None));

        Assert.Equal(DeliveryOutcome.TemporaryFailure, result.Outcome);
        Assert.StartsWith("451 4.4.0", result.Reply);
        Assert.Contains("554 5.3.2", result.Reply);
    }

    [Fact]
    public async Task Smtp_MultiLineGreetingAndReplies_AreRead()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp)
        {
            Greeting = "220-fake.test\r\n220-second line\r\n220 ready",
            RcptReply = (_, _) => "250-2.1.5 first\r\n250 2.1.5 Ok",
        };
        var (message, recipients) = Message("ann@example.test");

        var result = Assert.Single(
            await Smtp(server.Port).DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
    }

    [Fact]
    public async Task Smtp_ConnectionRefused_IsTemporaryWith441()
    {
        var port = ClosedPort();
        var (message, recipients) = Message("ann@example.test", "bob@example.test");

        var results = await Smtp(port)
            .DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.TemporaryFailure, r.Outcome));
        Assert.All(results, r => Assert.StartsWith("451 4.4.1", r.Reply));
    }

    [Fact]
    public async Task Lmtp_SilentServer_TimesOutTemporarily()
    {
        await using var server = new FakeMailServer(TransferProtocol.Lmtp) { SilentAfterGreeting = true };
        var (message, recipients) = Message("ann@example.test");
        var started = DateTime.UtcNow;

        var result = Assert.Single(
            await Lmtp(server.Port).DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None));

        Assert.Equal(DeliveryOutcome.TemporaryFailure, result.Outcome);
        Assert.StartsWith("451 4.4.2", result.Reply);
        Assert.Contains("timed out", result.Reply);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Smtp_GarbageReply_IsAProtocolErrorAndTemporary()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp) { Greeting = "HTTP/1.1 400 Bad Request" };
        var (message, recipients) = Message("ann@example.test");

        var result = Assert.Single(
            await Smtp(server.Port).DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None));

        Assert.Equal(DeliveryOutcome.TemporaryFailure, result.Outcome);
        Assert.StartsWith("451 4.5.0", result.Reply);
    }

    [Fact]
    public async Task Smtp_EndlessReplyLine_IsCutOffAsAProtocolError()
    {
        // A server that sends a reply line with no end.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var junk = Encoding.ASCII.GetBytes("220 " + new string('x', 64 * 1024));
            try
            {
                await client.GetStream().WriteAsync(junk);
                await Task.Delay(3000);
            }
            catch (IOException)
            {
            }
        });
        var (message, recipients) = Message("ann@example.test");

        var result = Assert.Single(await Smtp(((IPEndPoint)listener.LocalEndpoint).Port)
            .DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None));

        Assert.Equal(DeliveryOutcome.TemporaryFailure, result.Outcome);
        Assert.Contains("longer than", result.Reply);
        await serve;
    }

    [Fact]
    public async Task Smtp_EhloUnknown_FallsBackToHelo()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp) { RejectEhlo = true };
        var (message, recipients) = Message("ann@example.test");

        var result = Assert.Single(
            await Smtp(server.Port).DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.Contains(server.Commands, c => c == "HELO mx.example.test");
    }

    [Fact]
    public async Task Smtp_AddressWithLineBreak_IsNeverSent()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        var (message, recipients) = Message("ann@example.test\r\nRCPT TO:<evil@example.net>", "bob@example.test");

        var results = await Smtp(server.Port)
            .DeliverAsync(message, SpoolFactory.Content(), recipients, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.PermanentFailure, results[0].Outcome);
        Assert.StartsWith("553 5.1.3", results[0].Reply);
        Assert.Equal(DeliveryOutcome.Delivered, results[1].Outcome);
        Assert.DoesNotContain(server.Commands, c => c.Contains("evil"));
    }

    private static SmtpDeliveryTarget Smtp(int port) =>
        new(new DeliveryTargetAddress(DeliveryTargetKind.Smtp, "", "127.0.0.1", port), Timeouts, "mx.example.test");

    private static LmtpDeliveryTarget Lmtp(int port) =>
        new(new DeliveryTargetAddress(DeliveryTargetKind.Lmtp, "", "127.0.0.1", port), Timeouts, "mx.example.test");

    private static int ClosedPort()
    {
        // Free now; nothing listens, so connecting is refused.
        return FreePort.Next();
    }

    private static (QueuedMessage Message, List<QueuedRecipient> Recipients) Message(params string[] recipients)
    {
        var list = recipients.Select(r => new QueuedRecipient { Address = r }).ToList();
        var message = new QueuedMessage
        {
            QueueId = QueueIdGenerator.Next(),
            MailFrom = "sender@example.net",
            Recipients = list,
            ClientAddress = "192.0.2.1",
            Size = 100,
        };
        return (message, list);
    }

    private static QueuedMessage With8Bit(QueuedMessage m) => new()
    {
        QueueId = m.QueueId,
        MailFrom = m.MailFrom,
        Recipients = m.Recipients,
        ClientAddress = m.ClientAddress,
        Size = m.Size,
        Body = "8BITMIME",
    };

    private static QueuedMessage WithUtf8(QueuedMessage m) => new()
    {
        QueueId = m.QueueId,
        MailFrom = m.MailFrom,
        Recipients = m.Recipients,
        ClientAddress = m.ClientAddress,
        Size = m.Size,
        SmtpUtf8 = true,
    };
}
