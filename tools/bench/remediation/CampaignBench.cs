using System.Diagnostics;
using System.Globalization;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.Bench.Remediation;

/// <summary>
/// A campaign of <c>--copies</c> delivered copies (10,000) across <c>--mailboxes</c> Dovecot mailboxes (1,000),
/// delivered over LMTP and recorded, then convicted by one fingerprint: prints the time until the last copy
/// is in Junk and the conviction-to-move latency of each copy, and checks a sample of mailboxes over IMAP.
/// </summary>
public static class CampaignBench
{
    public static async Task<int> RunAsync(BenchArguments args)
    {
        var redis = args.Text("redis");
        var imap = BenchImap.From(args);
        var copies = args.Number("copies", 10_000);
        var mailboxes = args.Number("mailboxes", 1_000);
        var perMessage = args.Number("recipients-per-message", 100);
        var concurrency = args.Number("concurrency", 16);
        var tag = Guid.NewGuid().ToString("N")[..8];
        string Mailbox(int i) => $"c{tag}-{i:D4}@bench.test";

        await using var host = await BenchHost.StartAsync(imap.Settings(redis, concurrency));
        var mail = new SyntheticMail(11);
        var campaign = "t1:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(tag)))[..32];

        // Step 1: deliver over LMTP (four transactions at a time) and record every copy, as the edge does.
        var clock = Stopwatch.StartNew();
        var messages = (copies + perMessage - 1) / perMessage;
        var next = -1;
        var delivered = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var m = Interlocked.Increment(ref next); m < messages; m = Interlocked.Increment(ref next))
            {
                var recipients = Enumerable.Range(0, Math.Min(perMessage, copies - m * perMessage))
                    .Select(j => Mailbox((m * perMessage + j) % mailboxes)).ToList();
                var messageId = $"<{tag}.{m}.{Guid.NewGuid():N}@campaign.test>";
                var body = Message(messageId, m);
                await LmtpClient.DeliverAsync(imap.LmtpHost, imap.LmtpPort, recipients, body);
                var at = DateTimeOffset.UtcNow;
                var queueId = mail.QueueId(at);
                foreach (var recipient in recipients)
                {
                    var record = mail.Record(recipient, queueId, messageId, body.Length, at, MailboxStoreKind.Imap,
                        [campaign, "t1:" + Guid.NewGuid().ToString("N")]);
                    await host.Service.RecordDeliveryAsync(record, CancellationToken.None);
                }

                Interlocked.Add(ref delivered, recipients.Count);
            }
        }));
        Console.Error.WriteLine(
            $"  delivered and recorded {delivered:N0} copies in {clock.Elapsed.TotalSeconds:0.0} s");

        // Step 2: the conviction. HandleFingerprintEvent returns when every copy has its result.
        var conviction = new FingerprintEvent
        {
            EventId = "bench-" + tag,
            Kind = FingerprintEventKind.Convicted,
            Source = "bench",
            At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        };
        conviction.Fingerprints.Add(campaign);
        clock.Restart();
        var summary = await host.Service.HandleFingerprintEventAsync(conviction, CancellationToken.None);
        var total = clock.Elapsed;
        var pending = await host.Queue.CountAsync();

        // Step 3: the per-copy latencies from the audit, and a look into some mailboxes.
        var audit = await host.Queries.ListActionsAsync(
            new ListActionsRequest { Limit = 10_000 }, CancellationToken.None);
        var latencies = audit.Entries.Where(e => e.EventId == conviction.EventId && e.Result == "done")
            .Select(e => e.LatencySeconds).Order().ToList();
        var sample = Enumerable.Range(0, 10).Select(i => Mailbox(i * (mailboxes / 10))).ToList();
        var inJunk = 0;
        var inInbox = 0;
        foreach (var mailbox in sample)
        {
            inJunk += await imap.CountAsync(mailbox, "Junk", tag + ".");
            inInbox += await imap.CountAsync(mailbox, "INBOX", tag + ".");
        }

        var perMailbox = (double)copies / mailboxes;
        var lines = new[]
        {
            $"remediation campaign: {copies:N0} copies of {messages} messages across {mailboxes:N0} Dovecot "
                + $"mailboxes (IMAP MaxConcurrency {concurrency})",
            $"  found / moved / failed / skipped:   {summary.CopiesFound:N0} / {summary.CopiesActed:N0} / "
                + $"{summary.CopiesFailed:N0} / {summary.CopiesSkipped:N0}; pending afterwards {pending}",
            $"  time until the last copy was moved: {total.TotalSeconds:0.00} s "
                + $"({summary.CopiesActed / total.TotalSeconds:N0} copies/s)",
            $"  conviction-to-move per copy:        p50 {Percentiles.Of(latencies, 50):0.000} s, "
                + $"p99 {Percentiles.Of(latencies, 99):0.000} s, max {latencies.LastOrDefault():0.000} s",
            $"  IMAP check of {sample.Count} mailboxes:      {inJunk} in Junk "
                + $"(expected {sample.Count * perMailbox:0}), "
                + $"{inInbox} left in INBOX (expected 0)",
        };
        Console.WriteLine(string.Join(Environment.NewLine, lines));
        return summary.CopiesActed == copies && inInbox == 0 ? 0 : 1;
    }

    private static string Message(string messageId, int variant) => string.Join("\r\n",
        "From: Great Offers <offers@campaign.test>",
        "To: undisclosed-recipients:;",
        $"Subject: Your exclusive offer {variant}",
        $"Message-ID: {messageId}",
        $"Date: {DateTimeOffset.UtcNow:R}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Dear customer, you have been selected for an exclusive offer. Click the link below to claim it.",
        $"https://offers.campaign.test/claim?v={variant}",
        "");
}
