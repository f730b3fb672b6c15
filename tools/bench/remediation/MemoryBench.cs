using System.Diagnostics;
using System.Globalization;
using Gateway.RetroRemediation.Cache;
using Gateway.V1;
using StackExchange.Redis;

namespace Gateway.Bench.Remediation;

/// <summary>
/// Fills a Redis with delivered copies through the tier's own RecordDelivery and prints Redis's
/// <c>used_memory</c> growth per copy. Use an otherwise idle Redis (run.sh starts one).
/// </summary>
public static class MemoryBench
{
    public static async Task<int> RunAsync(BenchArguments args)
    {
        var redis = args.Text("redis");
        var copies = args.Number("copies", 1_000_000);
        var fingerprints = args.Number("fingerprints", 2);
        var recipients = args.Number("recipients-per-message", 1);
        var store = args.Text("store", "imap") == "maildir" ? MailboxStoreKind.Maildir : MailboxStoreKind.Imap;
        var concurrency = args.Number("concurrency", 64);

        // --spread: deliveries spread evenly over the 6-hour window (a simulated clock), so the copies fill
        // all the window's slots as in steady state, instead of the one or two slots of a fast fill.
        var spread = args.Text("spread", "false") == "true";
        var recorded = 0L;
        var start = DateTimeOffset.UtcNow;
        var window = TimeSpan.FromHours(6);
        TimeProvider? clockSource = spread
            ? new SimulatedClock(() => start + window * (Interlocked.Read(ref recorded) / (double)copies))
            : null;

        using var admin = await ConnectionMultiplexer.ConnectAsync(redis + ",allowAdmin=true");
        var server = admin.GetServers()[0];
        await using var host = await BenchHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Redis:Configuration"] = redis,
            ["Gateway:Redis:KeyPrefix"] = "gw:",
            ["Gateway:Remediation:Window"] = "06:00:00",
        }, clockSource);

        var keysBefore = await server.DatabaseSizeAsync();
        var before = await UsedMemoryAsync(server);
        var mail = new SyntheticMail(7);
        var clock = Stopwatch.StartNew();
        var next = -1;
        long idLengthSum = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var local = new SyntheticMail(Environment.CurrentManagedThreadId * 7919 + Random.Shared.Next());
            for (var message = Interlocked.Increment(ref next); message * recipients < copies;
                 message = Interlocked.Increment(ref next))
            {
                var now = clockSource?.GetUtcNow() ?? DateTimeOffset.UtcNow;
                var queueId = local.QueueId(now);
                var messageId = local.MessageId(now);
                Interlocked.Add(ref idLengthSum, messageId.Length);
                var prints = Enumerable.Range(0, fingerprints).Select(_ => local.Fingerprint()).ToList();
                var size = local.Size();
                for (var r = 0; r < recipients && message * recipients + r < copies; r++)
                {
                    var recipient = mail.Recipient((message * 7 + r) % 50_000);
                    var record = local.Record(recipient, queueId, messageId, size, now, store, prints);
                    if (store == MailboxStoreKind.Maildir)
                    {
                        var at = recipient.IndexOf('@');
                        record.Location = $"/var/mail/vhosts/{recipient[(at + 1)..]}/{recipient[..at]}/new/"
                            + $"{now.ToUnixTimeSeconds()}.M{message % 1_000_000}P4242Q{message}"
                            + $".mx1.example.test,S={size}";
                    }

                    await host.Service.RecordDeliveryAsync(record, CancellationToken.None);
                    Interlocked.Increment(ref recorded);
                }

                if (message % 100_000 == 0 && message > 0)
                {
                    Console.Error.WriteLine(
                        $"  {message * recipients} copies recorded, {clock.Elapsed.TotalSeconds:0} s");
                }
            }
        });
        await Task.WhenAll(workers);
        clock.Stop();

        await Task.Delay(1000);
        var filled = await UsedMemoryAsync(server);

        // What the worker does every 15 s: closed slots give back the unused tails of their last pages.
        var freed = await host.Cache.CompactClosedSlotsAsync();
        await Task.Delay(1000);
        var after = await UsedMemoryAsync(server);
        var keysAfter = await server.DatabaseSizeAsync();
        var statistics = await host.Cache.GetStatisticsAsync();
        var messages = (copies + recipients - 1) / recipients;
        var delta = after - before;
        var kind = store == MailboxStoreKind.Imap ? "IMAP" : "Maildir";
        var when = spread ? "spread over the 6 h window" : "all delivered now";
        var lines = new[]
        {
            $"remediation cache memory ({kind} copies, {fingerprints} fingerprints each, "
                + $"{recipients} recipient(s) per message, {when})",
            $"  copies recorded:            {copies:N0} in {clock.Elapsed.TotalSeconds:0.0} s "
                + $"({copies / clock.Elapsed.TotalSeconds:N0}/s)",
            $"  mean Message-ID length:     {(double)idLengthSum / messages:0.0} characters",
            $"  Redis keys added:           {keysAfter - keysBefore:N0} in {statistics.Slots} slots",
            $"  used_memory before/after:   {before:N0} / {after:N0} bytes",
            $"  used_memory per copy:       {(double)delta / copies:0.0} bytes "
                + $"({(double)(filled - before) / copies:0.0} before closed slots were shrunk, {freed:N0} bytes freed)",
            $"  data written per copy:      {(double)statistics.Bytes / copies:0.0} bytes "
                + $"(entries {(double)statistics.RecordBytes / copies:0.0}, "
                + $"index {(double)statistics.IndexBytes / copies:0.0})",
        };
        Console.WriteLine(string.Join(Environment.NewLine, lines));
        return 0;
    }

    private static async Task<long> UsedMemoryAsync(IServer server)
    {
        var info = await server.InfoAsync("memory");
        var value = info.SelectMany(g => g).First(p => p.Key == "used_memory").Value;
        return long.Parse(value, CultureInfo.InvariantCulture);
    }
}
