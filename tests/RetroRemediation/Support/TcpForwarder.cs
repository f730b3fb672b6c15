using System.Net;
using System.Net.Sockets;

namespace Gateway.RetroRemediation.Tests.Support;

/// <summary>
/// Stands between remediation and the test Dovecot on a port of its own, so a test can take "the
/// store" down and bring it back without touching the Dovecot other tests use: while stopped, the port
/// refuses connections and every open connection is cut. Counts the connections it accepted.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private Task? _accepting;
    private int _connections;

    public TcpForwarder(int port, string targetHost, int targetPort)
    {
        Port = port;
        _targetHost = targetHost;
        _targetPort = targetPort;
    }

    public int Port { get; }

    public int Connections => Volatile.Read(ref _connections);

    public void Start()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        var listener = _listener;
        _accepting = Task.Run(() => AcceptAsync(listener));
    }

    public async Task StopAsync()
    {
        _listener?.Stop();
        if (_accepting is not null)
        {
            await _accepting;
        }

        _listener = null;
        _accepting = null;
        lock (_gate)
        {
            foreach (var client in _open)
            {
                client.Close();
            }

            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptAsync(TcpListener listener)
    {
        for (var i = 0; i < 100_000; i++)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(_targetHost, _targetPort);
            }
            catch (SocketException)
            {
                inbound.Close();
                continue;
            }

            lock (_gate)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // One side went away.
        }
        finally
        {
            from.Close();
            to.Close();
        }
    }
}
