using Gateway.MtaEdge.Tests.Smtp.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>An ordinary SMTP client (MailKit) against the edge: what it sends is what gets stored.</summary>
public sealed class MailKitInteropTests
{
    [Fact]
    public async Task MailKit_SendsMessage_StoredBytesParseBackToTheSameMessage()
    {
        await using var server = await TestSmtpServer.StartAsync();
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Ann Sender", "ann@sender.test"));
        message.To.Add(new MailboxAddress("User", "user@example.test"));
        message.Cc.Add(new MailboxAddress("Other", "other@example.test"));
        message.Subject = "Interop";
        message.MessageId = "interop.1@sender.test";
        var body = new BodyBuilder { TextBody = "Hello.\r\n.leading dot line\r\nBye.\r\n" };
        body.Attachments.Add("data.bin", Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray());
        message.Body = body.ToMessageBody();

        using (var client = new SmtpClient())
        {
            await ConnectAsync(client, server);
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Size));
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.EnhancedStatusCodes));
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.UTF8));
            var response = await client.SendAsync(message);
            Assert.StartsWith("2.0.0 Ok: queued as Q000001", response, StringComparison.Ordinal);
            await client.DisconnectAsync(quit: true);
        }

        var stored = server.Spool.Single();
        Assert.Equal("ann@sender.test", stored.Envelope.MailFrom);
        Assert.Equal(
            new[] { "user@example.test", "other@example.test" }, stored.Envelope.Recipients.Select(r => r.Address));
        Assert.Equal("<interop.1@sender.test>", stored.Envelope.MessageId);

        // The stored content is the client's message with only our Received: in front.
        using var sent = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        await message.WriteToAsync(format, sent);
        var text = stored.Text;
        var received = text[..(text.IndexOf("\r\n\t", StringComparison.Ordinal) + 1)];
        Assert.StartsWith("Received: from ", received, StringComparison.Ordinal);
        Assert.True(stored.Content.AsSpan().EndsWith(sent.ToArray()), "stored content must end with the message sent");

        var parsed = MimeMessage.Load(new MemoryStream(stored.Content));
        Assert.Equal("Interop", parsed.Subject);
        Assert.Equal("interop.1@sender.test", parsed.MessageId);
        Assert.Equal("Hello.\n.leading dot line\nBye.\n", parsed.TextBody!.ReplaceLineEndings("\n"));
        var attachment = (MimePart)Assert.Single(parsed.Attachments);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        Assert.Equal(Enumerable.Range(0, 4096).Select(i => (byte)i), content.ToArray());
    }

    [Fact]
    public async Task MailKit_InternationalAddress_UsesSmtpUtf8()
    {
        await using var server = await TestSmtpServer.StartAsync();
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Jörg", "jörg@bücher.test"));
        message.To.Add(new MailboxAddress("Ünal", "ünal@example.test"));
        message.Subject = "Grüße";
        message.Body = new TextPart("plain") { Text = "Straße\r\n" };

        using (var client = new SmtpClient())
        {
            await ConnectAsync(client, server);
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }

        var stored = server.Spool.Single();
        Assert.True(stored.Envelope.SmtpUtf8);
        Assert.Equal("jörg@bücher.test", stored.Envelope.MailFrom);
        Assert.Equal("ünal@example.test", Assert.Single(stored.Envelope.Recipients).Address);
        Assert.Equal("Grüße", MimeMessage.Load(new MemoryStream(stored.Content)).Subject);
    }

    [Fact]
    public async Task MailKit_RelayAttempt_RefusedWithEnhancedCode()
    {
        await using var server = await TestSmtpServer.StartAsync();
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("ann@sender.test"));
        message.To.Add(MailboxAddress.Parse("victim@elsewhere.test"));
        message.Subject = "relay?";
        message.Body = new TextPart("plain") { Text = "x" };

        using var client = new SmtpClient();
        await ConnectAsync(client, server);
        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));

        Assert.Equal(SmtpStatusCode.MailboxUnavailable, error.StatusCode);
        Assert.StartsWith("5.7.1", error.Message, StringComparison.Ordinal);
        await client.DisconnectAsync(quit: true);
        Assert.Empty(server.Spool.Stored);
    }

    [Fact]
    public async Task MailKit_StartTlsAndDsn_StoredWithTheDsnParameters()
    {
        using var directory = new Queue.Support.TempDirectory();
        var certificate = Path.Combine(directory.Path, "cert.pem");
        var key = Path.Combine(directory.Path, "key.pem");
        TestCertificate.Write(certificate, key);
        await using var server = await TestSmtpServer.StartAsync(o =>
        {
            o.TlsCertificateFile = certificate;
            o.TlsKeyFile = key;
        });
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("ann@sender.test"));
        message.To.Add(MailboxAddress.Parse("user@example.test"));
        message.Subject = "tls";
        message.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat("line of text\r\n", 2000)) };
        using var log = new MemoryStream();

        using (var client = new DsnSmtpClient(new MailKit.ProtocolLogger(log)))
        {
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
            client.DeliveryStatusNotificationType = DeliveryStatusNotificationType.HeadersOnly;
            await client.ConnectAsync(
                server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.StartTls);
            Assert.True(client.IsSecure);
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Chunking));
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Dsn));
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }

        var stored = server.Spool.Single();
        Assert.True(stored.Envelope.ReceivedOverTls);
        Assert.Equal("HDRS", stored.Envelope.DsnReturn);
        Assert.Equal("mk-1", stored.Envelope.DsnEnvelopeId);
        Assert.Equal("SUCCESS,FAILURE", Assert.Single(stored.Envelope.Recipients).DsnNotify);
        Assert.EndsWith(message.TextBody!.Replace("\r\n", "\n").Split('\n')[^2] + "\r\n", stored.Text);
        var transcript = System.Text.Encoding.UTF8.GetString(log.ToArray());
        Assert.Contains("NOTIFY=SUCCESS,FAILURE", transcript);
    }

    /// <summary>A MailKit client that asks for DSNs (RFC 3461) the way MailKit lets a program do it.</summary>
    private sealed class DsnSmtpClient(MailKit.IProtocolLogger logger) : SmtpClient(logger)
    {
        protected override string GetEnvelopeId(MimeMessage message) => "mk-1";

        protected override MailKit.DeliveryStatusNotification? GetDeliveryStatusNotifications(
            MimeMessage message, MailboxAddress mailbox) =>
            MailKit.DeliveryStatusNotification.Success | MailKit.DeliveryStatusNotification.Failure;
    }

    private static Task ConnectAsync(SmtpClient client, TestSmtpServer server) =>
        client.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.None);
}
