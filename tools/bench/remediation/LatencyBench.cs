using System.Diagnostics;
using System.Globalization;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.Bench.Remediation;

/// <summary>
/// Single copies: <c>--samples</c> messages (200), each delivered to its own Dovecot mailbox with its own
/// fingerprint, convicted one after another; each conviction-to-move is timed from the event to the
/// moment the copy is in Junk (a cold mailbox: connect, log in, find, move). Prints p50 and p99.
/// </summary>
public static class LatencyBench
{
    public static async Task<int> RunAsync(BenchArguments args)
    {
        var redis = args.Text("redis");
        var imap = BenchImap.From(args);
        var samples = args.Number("samples", 200);
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using var host = await BenchHost.StartAsync(imap.Settings(redis, args.Number("concurrency", 16)));
        var mail = new SyntheticMail(13);

        var copies = new List<(string Fingerprint, string Mailbox)>();
        for (var i = 0; i < samples; i++)
        {
            var mailbox = $"l{tag}-{i:D4}@bench.test";
            var messageId = $"<{tag}.{i}.{Guid.NewGuid():N}@single.test>";
            var body = $"From: a@single.test\r\nTo: {mailbox}\r\nSubject: single {i}\r\n"
                + $"Message-ID: {messageId}\r\n\r\nHello.\r\n";
            await LmtpClient.DeliverAsync(imap.LmtpHost, imap.LmtpPort, [mailbox], body);
            var at = DateTimeOffset.UtcNow;
            var fingerprint = mail.Fingerprint();
            var record = mail.Record(
                mailbox, mail.QueueId(at), messageId, body.Length, at, MailboxStoreKind.Imap, [fingerprint]);
            await host.Service.RecordDeliveryAsync(record, CancellationToken.None);
            copies.Add((fingerprint, mailbox));
        }

        var latencies = new List<double>(samples);
        var moved = 0;
        foreach (var (fingerprint, _) in copies)
        {
            var conviction = new FingerprintEvent
            {
                EventId = "lat-" + Guid.NewGuid().ToString("N")[..8],
                Kind = FingerprintEventKind.Convicted,
                Source = "bench",
                At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                Fingerprints = { fingerprint },
            };
            var clock = Stopwatch.StartNew();
            var summary = await host.Service.HandleFingerprintEventAsync(conviction, CancellationToken.None);
            latencies.Add(clock.Elapsed.TotalSeconds);
            moved += summary.CopiesActed;
        }

        latencies.Sort();
        var check = await imap.CountAsync(copies[^1].Mailbox, "Junk", tag + ".");
        var checkWords = check == 1 ? "in Junk" : "NOT in Junk";
        Console.WriteLine(string.Join(Environment.NewLine,
            $"remediation single-copy latency: {samples} convictions of one copy each, each in its own Dovecot mailbox",
            $"  moved:                     {moved} of {samples} (last one checked over IMAP: {checkWords})",
            string.Create(CultureInfo.InvariantCulture,
                $"  conviction-to-move:        p50 {Percentiles.Of(latencies, 50) * 1000:0.0} ms, "
                + $"p99 {Percentiles.Of(latencies, 99) * 1000:0.0} ms, max {latencies[^1] * 1000:0.0} ms")));
        return moved == samples ? 0 : 1;
    }
}
