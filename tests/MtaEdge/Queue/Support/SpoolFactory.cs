using Gateway.Common.Configuration;
using Gateway.MtaEdge.Queue;

namespace Gateway.MtaEdge.Tests.Queue.Support;

/// <summary>Spools and messages for tests, under a test's own data directory.</summary>
public static class SpoolFactory
{
    public const string LocalDomain = "example.test";

    public static GatewayOptions Options(string dataDir) => new()
    {
        DataDir = dataDir,
        Domains = [LocalDomain],
        Hostname = "mx.example.test",
    };

    public static FileMessageSpool Create(
        string dataDir, IDeliveryScheduler? scheduler = null, ListLogger<FileMessageSpool>? logger = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(dataDir)), scheduler ?? new RecordingScheduler(),
            logger ?? new ListLogger<FileMessageSpool>());

    public static QueuedMessage Message(IMessageSpool spool, string mailFrom, params string[] recipients) => new()
    {
        QueueId = spool.NewQueueId(),
        MailFrom = mailFrom,
        Recipients = recipients.Select(r => new QueuedRecipient { Address = r }).ToList(),
        ClientAddress = "192.0.2.10",
        ClientHelo = "client.example.net",
        ReceivedAt = DateTimeOffset.UtcNow,
        Fingerprints = ["body:0123abcd"],
        MessageId = "<m1@client.example.net>",
    };

    public static byte[] Content(string subject = "Hello") =>
        System.Text.Encoding.UTF8.GetBytes(
            $"From: a@example.net\r\nTo: b@example.test\r\nSubject: {subject}\r\n"
            + "Message-ID: <m1@client.example.net>\r\n"
            + "\r\nLine one\r\n.leading dot\r\n\r\nLast line\r\n");

}
