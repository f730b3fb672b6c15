using System.Diagnostics;
using System.Net;
using System.Text;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Feeds;
using Gateway.SenderIntelligence.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Xunit;
using Xunit.Abstractions;
using Action = Gateway.V1.Action;

namespace Gateway.SenderIntelligence.Tests.Feeds;

/// <summary>Loading feeds from files and URLs, refreshing them, and matching a million entries.</summary>
public sealed class FeedRefresherTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-sender-feeds-" + Guid.NewGuid().ToString("N"));
    private readonly ITestOutputHelper _output;

    public FeedRefresherTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task CheckConnect_ListedByAFeedFile_Rejects554NamingTheFeed()
    {
        var path = Path.Combine(_dir, "drop.txt");
        await File.WriteAllTextAsync(path, "# drop list\n198.51.100.0/24 ; ref 1\n");
        var options = Options(new ReputationFeedOptions { Name = "local-drop", Source = path, Weight = 1 });
        var h = new SenderHarness(options, new StubStore());
        var (refresher, log) = Refresher(h);

        Assert.True(await refresher.RefreshAsync(h.Feeds.Feeds[0], default));
        var listed = await h.Service.CheckConnectAsync(Requests.Connect("198.51.100.20"), default);
        var clean = await h.Service.CheckConnectAsync(Requests.Connect("198.51.101.20"), default);

        Assert.Equal(Action.Reject, listed.Verdict.Action);
        Assert.Equal(554, listed.Verdict.SmtpCode);
        Assert.Equal("5.7.1", listed.Verdict.EnhancedCode);
        Assert.Equal("Service unavailable; client [198.51.100.20] blocked using local-drop", listed.Verdict.Text);
        Assert.Equal(Action.Accept, clean.Verdict.Action);
        Assert.True(log.Has("SenderFeedLoaded"));
    }

    [Fact]
    public async Task Refresh_FileUnchangedThenChangedThenDeleted_KeepsTheLastGoodTable()
    {
        var path = Path.Combine(_dir, "feed.txt");
        await File.WriteAllTextAsync(path, "192.0.2.1\n");
        var h = new SenderHarness(Options(new ReputationFeedOptions { Name = "f", Source = path }), new StubStore());
        var (refresher, log) = Refresher(h);
        var feed = h.Feeds.Feeds[0];

        Assert.True(await refresher.RefreshAsync(feed, default));
        Assert.False(await refresher.RefreshAsync(feed, default));
        await File.WriteAllTextAsync(path, "192.0.2.2\n192.0.2.3\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.True(await refresher.RefreshAsync(feed, default));
        File.Delete(path);
        Assert.False(await refresher.RefreshAsync(feed, default));

        Assert.Equal(2, feed.State.Entries);
        Assert.True(feed.State.Table.Contains(IPAddress.Parse("192.0.2.3")));
        Assert.False(feed.State.Table.Contains(IPAddress.Parse("192.0.2.1")));
        Assert.True(log.Has("SenderFeedFailed"));
        Assert.Equal(1, h.Metrics.FeedRefreshCount("f", "unchanged"));
        Assert.Equal(1, h.Metrics.FeedRefreshCount("f", "failed"));
    }

    [Fact]
    public async Task Refresh_Url_ConditionalGetAndFailuresKeepTheTable()
    {
        await using var server = new FeedServer();
        server.Body = "203.0.113.0/25\n";
        var h = new SenderHarness(
            Options(new ReputationFeedOptions { Name = "web", Source = server.Url + "/list.txt", MaxBytes = 1000 }),
            new StubStore());
        var (refresher, _) = Refresher(h);
        var feed = h.Feeds.Feeds[0];

        Assert.True(await refresher.RefreshAsync(feed, default));
        Assert.False(await refresher.RefreshAsync(feed, default));
        server.Status = 500;
        Assert.False(await refresher.RefreshAsync(feed, default));
        server.Status = 200;
        server.ETag = "\"v2\"";
        server.Body = string.Concat(Enumerable.Repeat("203.0.113.200\n", 100));
        Assert.False(await refresher.RefreshAsync(feed, default));

        Assert.True(feed.State.Table.Contains(IPAddress.Parse("203.0.113.100")));
        Assert.Equal(["none", "\"v1\"", "\"v1\"", "\"v1\""], server.IfNoneMatch);
        Assert.Equal(1, h.Metrics.FeedRefreshCount("web", "unchanged"));
        Assert.Equal(2, h.Metrics.FeedRefreshCount("web", "failed"));
    }

    [Fact]
    public async Task Load_MillionEntryFile_EveryEntryFoundAndMemoryBounded()
    {
        // A million distinct /32s plus a thousand /24s, shuffled, as a large public list would be.
        var path = Path.Combine(_dir, "million.txt");
        var random = new Random(1);
        var hosts = new HashSet<uint>();
        while (hosts.Count < 1_000_000)
        {
            hosts.Add((uint)random.NextInt64(0x0B000000, 0xDF000000));
        }

        var nets = Enumerable.Range(0, 1000).Select(i => (uint)(0x0A000000 + (i << 8))).ToList();
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
        {
            await writer.WriteLineAsync("# generated");
            foreach (var host in hosts)
            {
                await writer.WriteLineAsync(Text(host));
            }

            foreach (var net in nets)
            {
                await writer.WriteLineAsync(Text(net) + "/24 ; a network");
            }
        }

        var h = new SenderHarness(Options(new ReputationFeedOptions { Name = "big", Source = path }), new StubStore());
        var (refresher, _) = Refresher(h);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var loading = Stopwatch.StartNew();
        Assert.True(await refresher.RefreshAsync(h.Feeds.Feeds[0], default));
        loading.Stop();
        var table = h.Feeds.Feeds[0].State.Table;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;

        Assert.Equal(1_001_000, h.Feeds.Feeds[0].State.Entries);
        var members = hosts.Take(200_000).ToList();
        var lookups = Stopwatch.StartNew();
        foreach (var host in members)
        {
            Assert.True(table.Contains(Address(host)));
        }

        lookups.Stop();
        var outside = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var candidate = (uint)random.NextInt64(0x0B000000, 0xDF000000);
            if (!hosts.Contains(candidate))
            {
                Assert.False(table.Contains(Address(candidate)));
                outside++;
            }
        }

        Assert.True(table.Contains(IPAddress.Parse("10.3.231.77")));
        Assert.False(table.Contains(IPAddress.Parse("10.3.232.77")));
        Assert.True(outside > 190_000);
        Assert.True(table.MemoryBytes < 16_000_000, $"table holds {table.MemoryBytes} bytes");
        _output.WriteLine(
            $"1,001,000 entries: loaded in {loading.ElapsedMilliseconds} ms, {table.RangeCount} ranges, "
            + $"table {table.MemoryBytes / 1024.0 / 1024:0.0} MiB (heap growth {retained / 1024.0 / 1024:0.0} MiB), "
            + $"{members.Count / lookups.Elapsed.TotalSeconds:N0} lookups/s "
            + $"({lookups.Elapsed.TotalMilliseconds * 1000 / members.Count:0.00} us each)");
    }

    private static string Text(uint value) => $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}";

    private static IPAddress Address(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (
        byte)value]);

    private static SenderIntelligenceOptions Options(ReputationFeedOptions feed) => new()
    {
        Global = new GlobalEditionOptions { Feeds = [feed], Reputation = new ReputationOptions { Enabled = false } },
        Local = new LocalEditionOptions { Enabled = false },
    };

    private static (FeedRefresher Refresher, RecordingLogger<FeedRefresher> Log) Refresher(SenderHarness h)
    {
        var log = new RecordingLogger<FeedRefresher>();
        return (new FeedRefresher(h.Feeds, new FeedLoader(), h.Metrics, TimeProvider.System, log), log);
    }

    /// <summary>A feed publisher on loopback with an ETag, answering 304 to a matching If-None-Match.</summary>
    private sealed class FeedServer : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public FeedServer()
        {
            Url = $"http://127.0.0.1:{FreePort.Next()}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public string Body { get; set; } = "";

        public string ETag { get; set; } = "\"v1\"";

        public int Status { get; set; } = 200;

        public List<string> IfNoneMatch { get; } = new();

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            try
            {
                await _loop.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (
                e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (
                    e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var sent = context.Request.Headers["If-None-Match"];
                lock (IfNoneMatch)
                {
                    IfNoneMatch.Add(sent ?? "none");
                }

                var response = context.Response;
                if (Status != 200)
                {
                    response.StatusCode = Status;
                }
                else if (sent == ETag)
                {
                    response.StatusCode = 304;
                }
                else
                {
                    var bytes = Encoding.UTF8.GetBytes(Body);
                    response.Headers["ETag"] = ETag;
                    response.ContentLength64 = bytes.Length;
                    await response.OutputStream.WriteAsync(bytes);
                }

                response.Close();
            }
        }
    }
}
