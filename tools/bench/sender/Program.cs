using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gateway.Bench.Sender;
using Gateway.Common.Redis;
using Gateway.SenderIntelligence;
using Gateway.SenderIntelligence.Admin;
using Gateway.SenderIntelligence.Checks;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Dnsbl;
using Gateway.SenderIntelligence.Feeds;
using Gateway.SenderIntelligence.Global;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Store;
using Gateway.SenderIntelligence.Telemetry;
using Gateway.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Action = Gateway.V1.Action;

// Sender intelligence benchmark: whole SMTP sessions' worth of checks (connect, MAIL, RCPT, end of data, close)
// from many senders at once, through the real service and store, against a real redis-server; then the lookup
// cost and memory of a million-entry feed. Prints figures; asserts nothing.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"sender-bench: {e.Message}");
    Console.Error.WriteLine(
        "usage: sender-bench --redis host:port [--seconds 10] [--concurrency 32] [--senders 5000] "
        + "[--feed-entries 1000000]");
    return 2;
}

var senderOptions = new SenderIntelligenceOptions { StoreTimeout = TimeSpan.FromSeconds(10) };
var wrapped = Options.Create(senderOptions);
using var redis = new RedisConnection(Options.Create(new RedisOptions
{
    Configuration = options.Redis + ",allowAdmin=true",
    KeyPrefix = $"bench:{Guid.NewGuid():N}:",
}));
await redis.Database.PingAsync();
var store = new CountingStore(new RedisSenderStore(redis, wrapped));
var metrics = new SenderMetrics(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));

// Probation with room for the run (the limits are checked, not hit), and no tarpit.
var policy = PolicyFileParser.Parse("""
    tiers:
      probation: { concurrent_connections: 1000, connections_per_window: unlimited, messages_per_connection: unlimited,
                   recipients_per_message: 100, messages_per_hour: unlimited, bytes_per_hour: unlimited, tarpit: 0 }
    """, "bench");
var dnsbl = new DnsblChecker(new DnsClientQuery(wrapped), wrapped, metrics, TimeProvider.System,
    NullLogger<DnsblChecker>.Instance);
var context = new SenderCheckContext(wrapped, new PolicyProvider(policy, metrics, NullLogger<PolicyProvider>.Instance),
    new OverrideRegistry(), store, new GlobalListing(dnsbl, new FeedCatalog(wrapped), wrapped), metrics,
    TimeProvider.System, NullLogger<SenderIntelligenceService>.Instance);
var service = new SenderIntelligenceService(context);

var kinds = new[] { "connect", "mail", "rcpt", "data", "close" };
var recorders = kinds.ToDictionary(k => k, k => new LatencyRecorder(k, options.Concurrency));
var refusals = 0L;
var senders = Enumerable.Range(0, options.Senders)
    .Select(i => $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}")
    .ToArray();

async Task SessionAsync(int worker, Random random)
{
    var ip = senders[random.Next(senders.Length)];
    var session = Guid.NewGuid().ToString("N");
    var started = Stopwatch.GetTimestamp();
    var connect = await service.CheckConnectAsync(
        new ConnectRequest { SessionId = session, ClientIp = ip, ClientPort = 40000, LocalEndpoint = "127.0.0.1:25" },
            default);
    recorders["connect"].Record(worker, started);
    if (connect.Verdict.Action != Action.Accept)
    {
        Interlocked.Increment(ref refusals);
        return;
    }

    var from = $"a@d{random.Next(500)}.example";
    started = Stopwatch.GetTimestamp();
    var mail = await service.CheckMailAsync(
        new MailRequest { SessionId = session, ClientIp = ip, Helo = "mx.example.org", MailFrom = from }, default);
    recorders["mail"].Record(worker, started);
    started = Stopwatch.GetTimestamp();
    var rcpt = await service.CheckRcptAsync(
        new RcptRequest { SessionId = session, ClientIp = ip, Helo = "mx.example.org", MailFrom = from,
            Recipient = "user@example.test" },
        default);
    recorders["rcpt"].Record(worker, started);
    started = Stopwatch.GetTimestamp();
    var data = await service.CheckEndOfDataAsync(
        new EndOfDataRequest { SessionId = session, ClientIp = ip, Helo = "mx.example.org", MailFrom = from,
            Recipients = 1, SizeBytes = 5000, Content = ContentVerdict.Clean },
        default);
    recorders["data"].Record(worker, started);
    started = Stopwatch.GetTimestamp();
    await service.CloseSessionAsync(new CloseSessionRequest { SessionId = session, ClientIp = ip,
        LeaseId = connect.LeaseId }, default);
    recorders["close"].Record(worker, started);
    if (mail.Verdict.Action != Action.Accept || rcpt.Verdict.Action != Action.Accept
        || data.Verdict.Action != Action.Accept)
    {
        Interlocked.Increment(ref refusals);
    }
}

async Task RunAsync(TimeSpan duration)
{
    var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(worker => Task.Run(async () =>
    {
        var random = new Random(worker);
        while (Stopwatch.GetTimestamp() < until)
        {
            await SessionAsync(worker, random);
        }
    })));
}

Console.WriteLine(
    $"sender-bench: redis {options.Redis}, {Environment.ProcessorCount} cores, {options.Concurrency} concurrent "
    + $"sessions, {options.Senders} distinct sender addresses, {options.Seconds} s");
Console.WriteLine($"load average before: {LoadAverage()}");

// Warm-up: connections, JIT, script cache, and every sender's standing read once.
await RunAsync(TimeSpan.FromSeconds(Math.Min(3, options.Seconds)));
foreach (var recorder in recorders.Values)
{
    recorder.Clear();
}

store.Reset();
refusals = 0;
var server = redis.Database.Multiplexer.GetServer(redis.Database.Multiplexer.GetEndPoints()[0]);
var redisCpuBefore = await RedisCpuSecondsAsync(server);
var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
await RunAsync(TimeSpan.FromSeconds(options.Seconds));
clock.Stop();
var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds;
var redisCpu = await RedisCpuSecondsAsync(server) - redisCpuBefore;

var checks = recorders.Values.Sum(r => r.Count);
Console.WriteLine();
Console.WriteLine(
    $"{checks:N0} checks in {clock.Elapsed.TotalSeconds:0.00} s = {checks / clock.Elapsed.TotalSeconds:N0} checks/s "
    + $"({recorders["connect"].Count / clock.Elapsed.TotalSeconds:N0} sessions/s), "
    + $"{store.Calls / (double)checks:0.000} store round trips per check, {refusals} refused");
Console.WriteLine($"{"check",-8} {"count",10} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"p99.9 ms",9} {"max ms",8}");
var all = new LatencyRecorder("all", 1);
foreach (var kind in kinds)
{
    var p = recorders[kind].Percentiles();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{kind,-8} {recorders[kind].Count,10:N0} {p.P50,8:0.000} {p.P90,8:0.000} {p.P99,8:0.000} "
        + $"{p.P999,9:0.000} {p.Max,8:0.0}"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"CPU per check: {ownCpu * 1e6 / checks:0.0} us in this process (service and client), "
    + $"{redisCpu * 1e6 / checks:0.0} us in redis-server; {(ownCpu + redisCpu) / clock.Elapsed.TotalSeconds:0.00} "
    + $"of {Environment.ProcessorCount} cores busy with the benchmark"));
Console.WriteLine($"load average after: {LoadAverage()}");

// Feeds: a million entries in memory.
if (options.FeedEntries > 0)
{
    var random = new Random(7);
    var path = Path.Combine(Path.GetTempPath(), $"sender-bench-feed-{Guid.NewGuid():N}.txt");
    try
    {
        await using (var writer = new StreamWriter(path))
        {
            for (var i = 0; i < options.FeedEntries; i++)
            {
                var v = (uint)random.NextInt64(0x0B000000, 0xDF000000);
                await writer.WriteLineAsync(i % 100 == 0
                    ? $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.0/24 ; network"
                    : $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}");
            }
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var loading = Stopwatch.StartNew();
        FeedParseResult parsed;
        using (var reader = new StreamReader(path))
        {
            parsed = FeedParser.Parse(reader);
        }

        loading.Stop();
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        var probes = Enumerable.Range(0, 1_000_000).Select(_ => new IPAddress(random.Next())).ToArray();
        var hits = 0;
        var lookups = Stopwatch.StartNew();
        foreach (var probe in probes)
        {
            if (parsed.Table.Contains(probe))
            {
                hits++;
            }
        }

        lookups.Stop();
        Console.WriteLine();
        Console.WriteLine(
            $"feed: {parsed.Entries:N0} entries parsed in {loading.ElapsedMilliseconds:N0} ms "
            + $"into {parsed.Table.RangeCount:N0} ranges; "
            + $"table {parsed.Table.MemoryBytes / 1048576.0:0.0} MiB (heap growth {retained / 1048576.0:0.0} MiB); "
            + $"{probes.Length / lookups.Elapsed.TotalSeconds:N0} lookups/s on one core "
            + $"({lookups.Elapsed.TotalMilliseconds * 1_000_000 / probes.Length:0} ns each, {hits:N0} hits)");
        GC.KeepAlive(parsed);
    }
    finally
    {
        File.Delete(path);
    }
}

return 0;

static async Task<double> RedisCpuSecondsAsync(StackExchange.Redis.IServer server)
{
    var info = await server.InfoAsync("cpu");
    return info.SelectMany(g => g)
        .Where(p => p.Key is "used_cpu_sys" or "used_cpu_user")
        .Sum(p => double.Parse(p.Value, CultureInfo.InvariantCulture));
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
