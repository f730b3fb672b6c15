using System.Text;
using Gateway.MtaEdge.Delivery.Dsn;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Tests.Queue.Support;
using MimeKit;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

public sealed class DsnMessageBuilderTests
{
    [Fact]
    public void Build_FailedRecipients_MakesAParsableDeliveryStatusReport()
    {
        var original = Original("ann@example.test", "bob@example.test", "carl@example.test");
        original.Recipients[0].LastResult = "550 5.1.1 <bob@example.test>: User unknown";
        original.Recipients[1].LastResult = "451 4.3.0 Not now (gave up: still failing after 120 h in the queue)";

        var bytes = DsnMessageBuilder.Build(original, SpoolFactory.Content("Secret plans"), original.Recipients,
            "mx.example.test", "<dsn1@mx.example.test>", DateTimeOffset.UtcNow, out var utf8);

        Assert.False(utf8);
        Assert.True(Ascii.IsValid(bytes));
        Assert.DoesNotContain("\n", Encoding.ASCII.GetString(bytes).Replace("\r\n", ""));
        var message = MimeMessage.Load(new MemoryStream(bytes));
        Assert.Equal("ann@example.test", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("dsn1@mx.example.test", message.MessageId);
        Assert.Equal("auto-replied", message.Headers["Auto-Submitted"]);
        var report = Assert.IsType<MultipartReport>(message.Body);
        Assert.Equal("delivery-status", report.ReportType);
        Assert.Equal(3, report.Count);
        Assert.Contains("could not be delivered", ((TextPart)report[0]).Text);

        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        Assert.Equal(3, status.StatusGroups.Count);
        Assert.Equal("dns; mx.example.test", status.StatusGroups[0]["Reporting-MTA"]);
        Assert.Equal("rfc822; bob@example.test", status.StatusGroups[1]["Final-Recipient"]);
        Assert.Equal("failed", status.StatusGroups[1]["Action"]);
        Assert.Equal("5.1.1", status.StatusGroups[1]["Status"]);
        Assert.Equal("4.3.0", status.StatusGroups[2]["Status"]);

        var headers = Assert.IsType<TextRfc822Headers>(report[2]).Message!;
        Assert.Equal("Secret plans", headers.Subject);
        Assert.DoesNotContain("Line one", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Build_Utf8Sender_UsesGlobalTypes()
    {
        var original = Original("ännchen@example.test", "jörg@example.test");
        original.Recipients[0].LastResult = "550 5.1.1 unknown";

        var bytes = DsnMessageBuilder.Build(original, SpoolFactory.Content(), original.Recipients,
            "mx.example.test", "<dsn2@mx.example.test>", DateTimeOffset.UtcNow, out var utf8);

        Assert.True(utf8);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("Content-Type: message/global-delivery-status", text);
        Assert.Contains("Final-Recipient: utf-8; jörg@example.test", text);
        Assert.Contains("Content-Type: message/global-headers", text);
    }

    [Fact]
    public void Build_Utf8RecipientAsciiSender_PlainReportWithEmbeddedUnicode()
    {
        var original = Original("ann@example.test", "jörg+x@example.test");
        original.Recipients[0].LastResult = "553 5.6.7 no SMTPUTF8 there";

        var bytes = DsnMessageBuilder.Build(original, SpoolFactory.Content(), original.Recipients,
            "mx.example.test", "<dsn3@mx.example.test>", DateTimeOffset.UtcNow, out var utf8);

        // RFC 6533 section 3: the address travels as utf-8-addr-xtext in an ASCII report.
        Assert.False(utf8);
        Assert.True(Ascii.IsValid(bytes));
        var text = Encoding.ASCII.GetString(bytes);
        Assert.Contains("Content-Type: message/delivery-status", text);
        Assert.Contains(@"Final-Recipient: utf-8; j\x{F6}rg\x{2B}x@example.test", text);
    }

    [Theory]
    [InlineData("550 5.1.1 unknown", "5.1.1")]
    [InlineData("554 no enhanced code", "5.0.0")]
    [InlineData("451 4.4.1 no answer", "4.4.1")]
    [InlineData("421 no enhanced code", "4.0.0")]
    [InlineData("", "5.0.0")]
    [InlineData(null, "5.0.0")]
    public void StatusOf_LastReply_GivesTheRfc3463Status(string? lastResult, string status)
    {
        Assert.Equal(status, DsnMessageBuilder.StatusOf(lastResult));
    }

    private static QueuedMessage Original(string sender, params string[] recipients) => new()
    {
        QueueId = QueueIdGenerator.Next(),
        MailFrom = sender,
        Recipients = recipients.Select(r => new QueuedRecipient { Address = r }).ToList(),
        ClientAddress = "192.0.2.1",
        ReceivedAt = DateTimeOffset.UtcNow.AddHours(-1),
    };
}
