using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Reliability.Tests.Harness;

/// <summary>
/// A steady SMTP load: <c>senders</c> clients, each opening sessions of one to three messages, one after another,
/// until stopped. Every message carries a unique token in its subject and body, and the ledger records what the
/// client knows about it: never finished, sent but no reply (the connection broke after the final "."),
/// refused, or acknowledged with 250. Nothing is ever re-sent with the same token, so any second copy of a
/// token in a mailbox is a duplicate made by the gateway.
/// </summary>
public sealed class MailLoad
{
    private readonly Func<int> _port;
    private readonly IReadOnlyList<string> _mailboxes;
    private readonly string _domain;
    private readonly ConcurrentDictionary<string, SentMessage> _ledger = new(StringComparer.Ordinal);
    private long _connectFailures;
    private long _sessions;

    public MailLoad(Func<int> port, IReadOnlyList<string> mailboxes, string domain = "example.test")
    {
        _port = port;
        _mailboxes = mailboxes;
        _domain = domain;
    }

    public IReadOnlyCollection<SentMessage> Messages => _ledger.Values.ToList();

    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    public long Sessions => Interlocked.Read(ref _sessions);

    public int Count(MessageFate fate) => _ledger.Values.Count(m => m.Fate == fate);

    /// <summary>Runs <paramref name="senders"/> clients until <paramref name="stop"/> fires.</summary>
    public Task RunAsync(int senders, CancellationToken stop, int seed = 1) =>
        Task.WhenAll(Enumerable.Range(0, senders).Select(i => Task.Run(() => SenderAsync(new Random(seed * 1000 + i),
            stop))));

    /// <summary>One session with <paramref name="messages"/> messages; returns how many got 250.</summary>
    public async Task<int> SendSessionAsync(Random random, int messages, CancellationToken cancellationToken)
    {
        SmtpLineClient client;
        try
        {
            client = await SmtpLineClient.ConnectAsync(_port(), TimeSpan.FromSeconds(20));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            Interlocked.Increment(ref _connectFailures);
            return 0;
        }

        Interlocked.Increment(ref _sessions);
        var acked = 0;
        await using (client)
        {
            SentMessage? current = null;
            try
            {
                if ((await client.ReadReplyAsync()).Code != 220)
                {
                    return 0;
                }

                if ((await client.CommandAsync("EHLO load.test")).Code != 250)
                {
                    return 0;
                }

                for (var i = 0; i < messages && !cancellationToken.IsCancellationRequested; i++)
                {
                    var recipients = PickRecipients(random);
                    current = new SentMessage(Guid.NewGuid().ToString("N"), recipients);
                    _ledger[current.Token] = current;
                    if ((await client.CommandAsync("MAIL FROM:<load@sender.test>")).Code != 250)
                    {
                        current.Refuse("MAIL");
                        return acked;
                    }

                    foreach (var recipient in recipients)
                    {
                        var rcpt = await client.CommandAsync($"RCPT TO:<{recipient}>");
                        if (rcpt.Code != 250)
                        {
                            current.Refuse("RCPT " + rcpt.Code);
                            return acked;
                        }
                    }

                    var data = await client.CommandAsync("DATA");
                    if (data.Code != 354)
                    {
                        current.Refuse("DATA " + data.Code);
                        return acked;
                    }

                    var wire = SmtpLineClient.DataWireForm(Build(current, random));

                    // Everything but the final "." line first: a crash now can only lose an unfinished message.
                    await client.SendAsync(wire.AsMemory(0, wire.Length - 3));
                    current.Fate = MessageFate.DotSent;
                    await client.SendAsync(wire.AsMemory(wire.Length - 3));
                    var final = await client.ReadReplyAsync();
                    current.FinalCode = final.Code;
                    current.AnsweredAt = DateTime.UtcNow;
                    if (final.Code == 250)
                    {
                        current.Fate = MessageFate.Acknowledged;
                        acked++;
                    }
                    else
                    {
                        current.Refuse(final.Text);
                    }

                    current = null;
                }

                await client.CommandAsync("QUIT");
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                // The gateway died or closed the connection: whatever was in flight keeps its fate.
            }
        }

        return acked;
    }

    private async Task SenderAsync(Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var before = ConnectFailures;
            await SendSessionAsync(random, random.Next(1, 4), stop);
            if (ConnectFailures != before)
            {
                // The gateway is down (being restarted): try again shortly.
                try
                {
                    await Task.Delay(50, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private List<string> PickRecipients(Random random)
    {
        var count = random.Next(10) == 0 ? 2 : 1;
        return Enumerable.Range(0, count)
            .Select(_ => _mailboxes[random.Next(_mailboxes.Count)] + "@" + _domain)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static byte[] Build(SentMessage message, Random random)
    {
        var text = new StringBuilder();
        text.Append("From: Load <load@sender.test>\r\n");
        text.Append("To: ").Append(string.Join(", ", message.Recipients)).Append("\r\n");
        text.Append("Subject: reliability ").Append(message.Token).Append("\r\n");
        text.Append("Message-ID: <").Append(message.Token).Append("@load.test>\r\n");
        text.Append("Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n");
        text.Append("\r\n");
        text.Append("token=").Append(message.Token).Append("\r\n");
        var lines = random.Next(3, 60);
        for (var i = 0; i < lines; i++)
        {
            text.Append(i % 7 == 0 ? "." : "").Append("line ").Append(i).Append(' ')
                .Append(new string((char)('a' + random.Next(26)), random.Next(10, 70))).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }
}

/// <summary>What the client knows about one message it tried to send.</summary>
public enum MessageFate
{
    /// <summary>The session ended before the final "." was sent: it must never be delivered.</summary>
    Unfinished,

    /// <summary>The final "." went out, then the connection broke before a reply: delivered once or not at all.</summary>
    DotSent,

    /// <summary>The gateway refused it (4xx or 5xx at some step): it must never be delivered.</summary>
    Refused,

    /// <summary>250 after the data: it must be delivered exactly once to every recipient.</summary>
    Acknowledged,
}

public sealed class SentMessage(string token, IReadOnlyList<string> recipients)
{
    public string Token { get; } = token;

    public IReadOnlyList<string> Recipients { get; } = recipients;

    public MessageFate Fate { get; set; } = MessageFate.Unfinished;

    public string? RefusedWith { get; private set; }

    /// <summary>The reply to the end of the data, 0 when none came.</summary>
    public int FinalCode { get; set; }

    /// <summary>When that reply came.</summary>
    public DateTime AnsweredAt { get; set; }

    public void Refuse(string reply)
    {
        // A refusal after the dot was sent still means: not accepted.
        Fate = MessageFate.Refused;
        RefusedWith = reply;
    }
}
