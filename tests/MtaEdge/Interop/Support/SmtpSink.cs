using System.Text.RegularExpressions;
using Gateway.Testing;

namespace Gateway.MtaEdge.Tests.Interop.Support;

/// <summary>
/// Postfix's smtp-sink on 127.0.0.1 as a next hop: accepts everything, counts messages, and writes
/// each one to a file under <see cref="DumpDirectory"/> so the test can read what arrived.
/// </summary>
public sealed partial class SmtpSink : IAsyncDisposable
{
    private readonly ExternalProcess _process;
    private readonly Queue.Support.TempDirectory _dumps = new();

    private SmtpSink(string program, int port, IEnumerable<string> extra)
    {
        Port = port;

        // As root it must drop privileges (-u); nobody must be able to write the dumps.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dumps.Path, (UnixFileMode)0x1FF);
        }
        _process = ExternalProcess.Start(program, [
            "-u", "nobody", "-c", "-d", Path.Combine(_dumps.Path, "%H%M%S."), .. extra, $"127.0.0.1:{port}", "64",
        ]);
    }

    public int Port { get; }

    public string DumpDirectory => _dumps.Path;

    /// <summary>Messages received so far, from smtp-sink's own counter (-c).</summary>
    public int Messages
    {
        get
        {
            var counts = CounterPattern().Matches(_process.Output);
            return counts.Count == 0
                ? 0
                : int.Parse(counts[^1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public string Output => _process.Output;

    public static async Task<SmtpSink> StartAsync(string program, params string[] extra)
    {
        var sink = new SmtpSink(program, FreePort.Next(), extra);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, sink.Port);
                return sink;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50);
            }
        }

        await sink.DisposeAsync();
        throw new InvalidOperationException("smtp-sink did not listen: " + sink.Output);
    }

    /// <summary>The dumped messages (whole transactions as smtp-sink writes them).</summary>
    public IReadOnlyList<string> Dumps() =>
        Directory.EnumerateFiles(_dumps.Path).Select(File.ReadAllText).ToList();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _dumps.Dispose();
    }

    [GeneratedRegex(@"mesg=(\d+)")]
    private static partial Regex CounterPattern();
}
