using System.Diagnostics;
using System.Globalization;
using Gateway.Bench.Fingerprint;
using Gateway.Contracts;
using Gateway.Eval;
using Gateway.FingerprintFilter;
using Gateway.FingerprintFilter.Store;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Scans per second on one thread (one core) and p50/p99 latency over the corpus, a 50 KB class on its own,
// and pyzor's digest rate on the same messages. Usage: Gateway.Bench.Fingerprint CORPUS [ROUNDS] [PYTHON SCRIPT]
if (args.Length < 1 || !File.Exists(Path.Combine(args[0], "index.tsv")))
{
    Console.Error.WriteLine("usage: Gateway.Bench.Fingerprint CORPUS_DIR [ROUNDS] [PYTHON PYZOR_SCRIPT]");
    return 2;
}

var corpus = args[0];
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var messages = CorpusIndex.Read(corpus);
var split = new EvaluationSplit(messages);
var raw = messages.ToDictionary(m => m.Path, m => ByteString.CopyFrom(File.ReadAllBytes(m.Path)));

// The filter as a node runs it: learned store, scans served from the in-memory copy.
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Gateway:Fingerprint:HotCache:MaxStaleness"] = "01:00:00",
}).Build();
var services = new ServiceCollection();
services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
services.AddFingerprintFilter(configuration).UseInMemoryFingerprintStores();
services.AddSingleton<IFingerprintEventPublisher, NullPublisher>();
await using var provider = services.BuildServiceProvider();
var filter = provider.GetRequiredService<IFingerprintFilter>();
foreach (var report in split.Learned)
{
    await filter.ReportAsync(new ReportRequest { Kind = ReportKind.Spam, Message = raw[report.Path], Source = "admin" },
        CancellationToken.None);
}

var cache = provider.GetRequiredService<HotFingerprintCache>();
await cache.ReloadAsync(CancellationToken.None);
Console.WriteLine($"corpus {corpus}: {messages.Count} messages, {raw.Values.Sum(b => (long)b.Length) / 1024} KiB; " +
    $"store holds {cache.Count} fingerprints from {split.Learned.Count} reports; hot copy fresh: {cache.IsFresh}");
var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
Console.WriteLine($"machine: {Environment.ProcessorCount} cores visible, load {load}");

// Warm-up (JIT, tiered compilation), then the measured rounds on this one thread.
await ScanAllAsync(2, new LatencyStats());
var all = new LatencyStats();
await ScanAllAsync(rounds, all);
var fifty = messages.Where(m => raw[m.Path].Length is >= 40 * 1024 and <= 60 * 1024).ToList();
var fiftyStats = new LatencyStats();
for (var round = 0; round < Math.Max(20, rounds * 20); round++)
{
    foreach (var message in fifty)
    {
        await ScanOneAsync(message, fiftyStats);
    }
}

Console.WriteLine();
Console.WriteLine($"{"series",-34} {"scans",8} {"scans/s",10} {"p50 ms",8} {"p99 ms",8} {"max ms",8}   " +
    $"{"CPU: scans/s",12} {"p50 ms",8} {"p99 ms",8}");
Print("gateway scan, whole corpus", all);
Print($"gateway scan, 40-60 KB ({fifty.Count} msgs)", fiftyStats);

if (args.Length > 3)
{
    var (_, elapsed, cpuTime) = await PyzorDigester.RunAsync(args[2], args[3], messages.Select(m => m.Path), rounds,
        CancellationToken.None);
    var count = messages.Count * rounds;
    Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
        "{0,-34} {1,8} {2,10:0} {3,8} {4,8} {5,8}   {6,12:0} {7,8} {8,8}", "pyzor digest only (1 process)", count,
        count / elapsed.TotalSeconds, "-", "-", "-", count / cpuTime.TotalSeconds, "-", "-"));
}

Console.WriteLine();
Console.WriteLine("gateway scan = MIME parse + normalise + t1/f1/a1/u1 + lookup in the node's in-memory copy + " +
    "scoring + verdict; one thread. Wall-clock columns include time spent waiting for a core on a busy " +
    "machine; CPU columns count only the scanning thread's CPU time (" +
    (ThreadCpuClock.Available ? "CLOCK_THREAD_CPUTIME_ID" : "unavailable here") + "). " +
    "pyzor digest = its DataDigester only (no lookup, no verdict), excluding start-up; CPU = process CPU time.");
return 0;

async Task ScanAllAsync(int times, LatencyStats stats)
{
    for (var round = 0; round < times; round++)
    {
        foreach (var message in messages)
        {
            await ScanOneAsync(message, stats);
        }
    }
}

async Task ScanOneAsync(CorpusMessage message, LatencyStats stats)
{
    var request = new ScanRequest { QueueId = "B", Message = raw[message.Path] };
    var cpu = ThreadCpuClock.Now();
    var started = Stopwatch.GetTimestamp();
    await filter.ScanAsync(request, CancellationToken.None);
    stats.Add(Stopwatch.GetTimestamp() - started, ThreadCpuClock.Now() - cpu);
}

static void Print(string name, LatencyStats stats) =>
    Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
        "{0,-34} {1,8} {2,10:0} {3,8:0.000} {4,8:0.000} {5,8:0.000}   {6,12:0} {7,8:0.000} {8,8:0.000}",
        name, stats.Count, stats.PerSecond, stats.Percentile(50), stats.Percentile(99), stats.Percentile(100),
        stats.PerCpuSecond, stats.CpuPercentile(50), stats.CpuPercentile(99)));

/// <summary>Events go nowhere: the benchmark measures scanning.</summary>
internal sealed class NullPublisher : IFingerprintEventPublisher
{
    public Task<RemediationSummary?> PublishAsync(
        FingerprintEvent fingerprintEvent, CancellationToken cancellationToken) =>
        Task.FromResult<RemediationSummary?>(null);
}
