using System.Text;
using System.Text.RegularExpressions;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Gateway.V1;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// The end of DATA: trace headers, the loop guard, the fingerprint verdict and the spool. The
/// reply is 250 only when the spool stored the message.
/// </summary>
public sealed partial class MessageIntakeTests
{
    private static readonly byte[] Simple = "Subject: hello\r\n\r\nbody\r\n.\r\n"u8.ToArray();

    [Fact]
    public async Task Data_Accepted_ReceivedHeaderFirstAndMessageIdAdded()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync("client.test");

        var reply = await client.SendMessageAsync(Simple);

        Assert.Equal("250 2.0.0", reply.Status);
        Assert.Equal("Ok: queued as Q000001", reply.Lines[0]["2.0.0 ".Length..]);
        await client.QuitAsync();

        var stored = server.Spool.Single();
        var text = stored.Text;
        Assert.Matches(ReceivedPattern(), text);
        Assert.Contains(
            "\r\nMessage-ID: <Q000001@mx.gateway.test>\r\nSubject: hello\r\n\r\nbody\r\n",
            text,
            StringComparison.Ordinal);
        Assert.Equal("<Q000001@mx.gateway.test>", stored.Envelope.MessageId);
        Assert.Equal("Q000001", stored.Envelope.QueueId);
        Assert.Equal("a@sender.test", stored.Envelope.MailFrom);
        Assert.Equal("127.0.0.1", stored.Envelope.ClientAddress);
        Assert.Equal("client.test", stored.Envelope.ClientHelo);
        Assert.Equal(new[] { "x1:00aa", "x2:00bb" }, stored.Envelope.Fingerprints);
        Assert.Equal(stored.Content.Length, stored.Envelope.Size);
        Assert.False(stored.Envelope.SmtpUtf8);
    }

    [Fact]
    public async Task Data_MessageIdPresent_KeptAndNotAdded()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(
            "Subject: x\r\nmessage-id:\r\n <abc.123@sender.test>\r\n\r\nbody\r\n.\r\n"u8.ToArray());

        Assert.Equal("250 2.0.0", reply.Status);
        await client.QuitAsync();
        var stored = server.Spool.Single();
        Assert.Equal("<abc.123@sender.test>", stored.Envelope.MessageId);
        Assert.Single(Regex.Matches(stored.Text, "^message-id:", RegexOptions.Multiline | RegexOptions.IgnoreCase));
    }

    [Fact]
    public async Task Data_MessageIdOnlyInBody_HeaderStillAdded()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync("Subject: x\r\n\r\nMessage-ID: <fake@body>\r\n.\r\n"u8.ToArray());

        Assert.Equal("250 2.0.0", reply.Status);
        await client.QuitAsync();
        Assert.Equal("<Q000001@mx.gateway.test>", server.Spool.Single().Envelope.MessageId);
    }

    [Fact]
    public async Task Data_SeveralRecipients_ReceivedHasNoForClause()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(Simple, "a@sender.test", "one@example.test", "two@example.test");

        Assert.Equal("250 2.0.0", reply.Status);
        await client.QuitAsync();
        var text = server.Spool.Single().Text;
        Assert.StartsWith(
            "Received: from client.test ([127.0.0.1])\r\n\tby mx.gateway.test with ESMTP id Q000001;\r\n\t", text);
        Assert.Equal(
            new[] { "one@example.test", "two@example.test" },
            Assert.Single(server.Filter.Scans).Recipients);
    }

    [Fact]
    public async Task Data_AfterHelo_ProtocolIsSmtpAndHeloNameIsSanitised()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAsync();
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.CommandAsync("HELO we(ird);name")).Code);

        var reply = await client.SendMessageAsync(Simple);

        Assert.Equal("250 2.0.0", reply.Status);
        await client.QuitAsync();
        Assert.StartsWith(
            "Received: from we_ird__name ([127.0.0.1])\r\n\tby mx.gateway.test with SMTP id",
            server.Spool.Single().Text);
    }

    [Theory]
    [InlineData(50, "250 2.0.0")]
    [InlineData(51, "554 5.4.6")]
    public async Task Data_ReceivedHeaders_LoopGuard(int count, string expected)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        var headers = string.Concat(
            Enumerable.Range(0, count).Select(i => $"Received: from hop{i}.test\r\n\tby x; date\r\n"));

        var reply = await client.SendMessageAsync(
            Encoding.ASCII.GetBytes(headers + "Subject: loop\r\n\r\nbody\r\n.\r\n"));

        Assert.Equal(expected, reply.Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Data_ScanRequest_CarriesTheStoredContentAndEnvelope()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("250 2.0.0", (await client.SendMessageAsync(Simple)).Status);
        await client.QuitAsync();

        var scan = Assert.Single(server.Filter.Scans);
        var stored = server.Spool.Single();
        Assert.Equal(stored.Envelope.QueueId, scan.QueueId);
        Assert.Equal(stored.Content, scan.Message.ToByteArray());
        Assert.Equal("127.0.0.1", scan.ClientIp);
        Assert.Equal("a@sender.test", scan.MailFrom);
        Assert.Equal(new[] { "user@example.test" }, scan.Recipients);
    }

    [Theory]
    [InlineData(V1.Action.Reject, 550, "5.7.1", "Known spam", "550 5.7.1", "Known spam")]
    [InlineData(V1.Action.Reject, 554, "5.7.0", "No thanks", "554 5.7.0", "No thanks")]
    [InlineData(V1.Action.Reject, 0, "", "", "550 5.7.1", "Message refused")]
    [InlineData(V1.Action.Reject, 250, "2.0.0", "ok?", "550 5.7.1", "Message refused")]
    [InlineData(V1.Action.Reject, 550, "4.7.1", "bad class\r\n250 ok", "550 5.7.1", "bad class??250 ok")]
    [InlineData(V1.Action.Tempfail, 451, "4.7.1", "Try later", "451 4.7.1", "Try later")]
    [InlineData(V1.Action.Tempfail, 550, "5.7.1", "wrong class", "451 4.7.1", "Message deferred, try again later")]
    public async Task Data_FilterVerdict_ItsReplyAndNothingStored(
        V1.Action action, int code, string enhanced, string text, string expected, string expectedText)
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Filter.Respond = _ => StubFingerprintFilter.Verdict(action, code, enhanced, text);
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(Simple);

        Assert.Equal(expected, reply.Status);
        Assert.Equal(expectedText, reply.Lines[0][(reply.EnhancedCode.Length + 1)..]);
        Assert.Equal("250 2.0.0", (await client.CommandAsync("NOOP")).Status);
        await client.QuitAsync();
        Assert.Empty(server.Spool.Stored);
    }

    [Fact]
    public async Task Data_FilterThrows_451AndNothingStored()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Filter.Failure = new InvalidOperationException("filter down");
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(Simple);

        Assert.Equal("451 4.3.0", reply.Status);
        await client.QuitAsync();
        Assert.Empty(server.Spool.Stored);
    }

    [Fact]
    public async Task Data_SpoolFails_451NothingClaimedAndSessionGoesOn()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Spool.Failure = new IOException("disk full");
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(Simple);

        Assert.Equal("451 4.3.0", reply.Status);
        Assert.DoesNotContain("queued", reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(server.Spool.Stored);

        // The transaction is over; the client may retry in the same session once the spool recovers.
        Assert.Equal("503 5.5.1", (await client.CommandAsync("RCPT TO:<user@example.test>")).Status);
        server.Spool.Failure = null;
        Assert.Equal("250 2.0.0", (await client.SendMessageAsync(Simple)).Status);
        await client.QuitAsync();
        Assert.Single(server.Spool.Stored);
    }

    [Fact]
    public async Task Data_TwoMessagesInOneSession_BothStoredWithTheirOwnIds()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("250 2.0.0", (await client.SendMessageAsync(Simple)).Status);
        Assert.Equal("250 2.0.0", (await client.SendMessageAsync(Simple, "", "other@example.test")).Status);
        await client.QuitAsync();

        var stored = server.Spool.Stored.ToArray();
        Assert.Equal(new[] { "Q000001", "Q000002" }, stored.Select(s => s.Envelope.QueueId));
        Assert.Equal("", stored[1].Envelope.MailFrom);
        Assert.Equal("other@example.test", Assert.Single(stored[1].Envelope.Recipients).Address);
    }

    [Fact]
    public async Task Data_NoValidRecipients_554Never354()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("550 5.7.1", (await client.CommandAsync("RCPT TO:<user@other.test>")).Status);
        Assert.Equal("554 5.5.1", (await client.CommandAsync("DATA")).Status);
        Assert.Equal("500 5.5.2", (await client.CommandAsync("Subject: would-be message")).Status);
        await client.QuitAsync();
        Assert.Empty(server.Filter.Scans);
    }

    [GeneratedRegex(
        @"^Received: from client\.test \(\[127\.0\.0\.1\]\)\r\n\tby mx\.gateway\.test with ESMTP id Q000001\r\n" +
        @"\tfor <user@example\.test>;\r\n\t(Mon|Tue|Wed|Thu|Fri|Sat|Sun), " +
        @"\d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) " +
        @"\d{4} \d\d:\d\d:\d\d \+0000\r\n")]
    private static partial Regex ReceivedPattern();
}
