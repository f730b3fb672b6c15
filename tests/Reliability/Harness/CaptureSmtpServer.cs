using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Reliability.Tests.Harness;

/// <summary>
/// The next hop behind the gateway when its target is smtp://: accepts every transaction and records the envelope
/// recipients it was given, so a test sees exactly where the gateway tried to send mail.
/// </summary>
public sealed class CaptureSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public CaptureSmtpServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    /// <summary>Every RCPT TO argument received, as sent (without the angle brackets).</summary>
    public ConcurrentQueue<string> Recipients { get; } = new();

    public int Messages => _messages;

    private int _messages;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.Latin1);
            var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
            try
            {
                await writer.WriteLineAsync("220 capture.test ESMTP");
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var verb = line.Split(' ')[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                        case "LHLO":
                            await writer.WriteLineAsync("250-capture.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING");
                            break;
                        case "RCPT":
                            var start = line.IndexOf('<');
                            var end = line.LastIndexOf('>');
                            Recipients.Enqueue(start >= 0 && end > start ? line[(start + 1)..end] : line);
                            await writer.WriteLineAsync("250 2.1.5 ok");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 go");
                            while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                            {
                            }

                            Interlocked.Increment(ref _messages);
                            await writer.WriteLineAsync("250 2.0.0 captured");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 2.0.0 bye");
                            return;
                        default:
                            await writer.WriteLineAsync("250 2.0.0 ok");
                            break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }
}
