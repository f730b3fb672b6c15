using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Common.Configuration;
using Gateway.Common.Net;
using Gateway.Contracts;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Smtp.Addressing;
using Gateway.MtaEdge.Smtp.Message;
using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Proxy;
using Gateway.MtaEdge.Smtp.Session;
using Gateway.MtaEdge.Smtp.Tls;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Smtp;

/// <summary>
/// The ESMTP listener the internet talks to: accepts connections on the plain listener and, when
/// configured, on a PROXY protocol listener, and runs one session task per connection. It listens
/// from <see cref="StartAsync"/> on, so <see cref="LocalEndPoint"/> is known (port 0 in tests) before
/// the first client arrives.
/// </summary>
/// <remarks>
/// Graceful stop: the listeners stay open while sessions drain, so a client that connects meanwhile
/// hears 421 4.3.2 (and tries again later or elsewhere) instead of a refused connection; idle
/// sessions get 421 at once; sessions in the middle of a message get <see cref="SmtpOptions.ShutdownGrace"/>
/// to finish it; then what is left is cancelled. Queued mail is untouched: the spool keeps it.
/// </remarks>
public sealed class SmtpServer : BackgroundService
{
    // After the grace, cancelled sessions get this long to write their 421 and close.
    private static readonly TimeSpan AbortWait = TimeSpan.FromSeconds(5);

    private readonly SmtpOptions _options;
    private readonly ILogger<SmtpServer> _logger;
    private readonly SmtpSessionContext _context;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborted = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly ConcurrentDictionary<string, Task> _sessions = new();
    private readonly List<(Socket Socket, bool Proxy)> _listeners = new();
    private int _active;

    public SmtpServer(
        IOptions<SmtpOptions> options,
        IOptions<GatewayOptions> gatewayOptions,
        DomainSet domains,
        ISenderIntelligence senderIntelligence,
        IFingerprintFilter fingerprintFilter,
        IMessageSpool spool,
        ILogger<SmtpServer> logger)
    {
        _options = options.Value;
        _logger = logger;
        var host = SmtpReply.SanitizeText(gatewayOptions.Value.Hostname).Replace(' ', '-');
        if (host.Length == 0)
        {
            host = "localhost";
        }

        // A certificate that cannot be read stops the start with its error: better than an edge
        // that silently stops offering STARTTLS.
        var tls = string.IsNullOrWhiteSpace(_options.TlsCertificateFile)
            ? null
            : new TlsCertificateProvider(_options.TlsCertificateFile, _options.TlsKeyFile, _options.TlsReloadInterval,
                logger);

        _context = new SmtpSessionContext
        {
            Options = _options,
            Host = host,
            RecipientPolicy = new RecipientPolicy(domains, gatewayOptions.Value.Domains),
            SenderIntelligence = senderIntelligence,
            Intake = new MessageIntake(_options, host, fingerprintFilter, spool, logger),
            Logger = logger,
            Tls = tls,
            TrustedProxies = new TrustedNetworks(_options.ProxyTrustedNetworks),
            Stopping = _stopping.Token,
            Aborted = _aborted.Token,
        };
    }

    /// <summary>The plain listener's address; null before <see cref="StartAsync"/> or when there is none.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>The PROXY protocol listener's address; null when none is configured.</summary>
    public IPEndPoint? ProxyEndPoint { get; private set; }

    /// <summary>Sessions open right now.</summary>
    public int ActiveSessions => Volatile.Read(ref _active);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!string.IsNullOrWhiteSpace(_options.Listen))
            {
                LocalEndPoint = Bind(_options.Listen, "Listen", proxy: false);
            }

            if (!string.IsNullOrWhiteSpace(_options.ProxyListen))
            {
                ProxyEndPoint = Bind(_options.ProxyListen, "ProxyListen", proxy: true);
            }
        }
        catch
        {
            CloseListeners();
            throw;
        }

        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_listeners.Select(l => AcceptLoopAsync(l.Socket, l.Proxy)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // 1. Sessions are told to finish; new connections from now on hear 421 4.3.2.
        SmtpLog.Stopping(_logger, _sessions.Count);
        await _stopping.CancelAsync();

        // 2. Idle sessions say 421 and close; sessions in the middle of a message get the grace.
        var all = Task.WhenAll(_sessions.Values);
        await Task.WhenAny(all, Task.Delay(_options.ShutdownGrace, cancellationToken));

        // 3. Then everything left is cancelled.
        if (!all.IsCompleted)
        {
            await _aborted.CancelAsync();
            await Task.WhenAny(Task.WhenAll(_sessions.Values), Task.Delay(AbortWait, CancellationToken.None));
        }

        // 4. Only now do the listeners close.
        await _closed.CancelAsync();
        CloseListeners();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        CloseListeners();
        _stopping.Dispose();
        _aborted.Dispose();
        _closed.Dispose();
        base.Dispose();
    }

    private IPEndPoint Bind(string listen, string setting, bool proxy)
    {
        var endpoint = EndpointParser.Parse(listen, SmtpOptions.SectionName + ":" + setting);
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(endpoint);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listeners.Add((listener, proxy));
        var bound = (IPEndPoint)listener.LocalEndPoint!;
        SmtpLog.Listening(_logger, bound, proxy ? "PROXY protocol" : "plain");
        return bound;
    }

    private void CloseListeners()
    {
        foreach (var (socket, _) in _listeners)
        {
            socket.Dispose();
        }
    }

    private async Task AcceptLoopAsync(Socket listener, bool proxy)
    {
        // Leave StartAsync at once; the loop runs on the thread pool.
        await Task.Yield();
        var closed = _closed.Token;
        while (!closed.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(closed);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // E.g. out of file descriptors: keep serving the sessions already open, try again shortly.
                SmtpLog.AcceptFailed(_logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), closed);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            if (_stopping.IsCancellationRequested)
            {
                Refuse(socket, SmtpReplies.ShuttingDown, "shutting-down");
                continue;
            }

            if (Interlocked.Increment(ref _active) > _options.MaxSessions)
            {
                Interlocked.Decrement(ref _active);
                SmtpLog.TooManySessions(_logger, PeerText(socket), _options.MaxSessions);
                Refuse(socket, SmtpReplies.TooManySessions, "overloaded");
                continue;
            }

            SmtpMetrics.SessionsActive.Inc();
            var id = Guid.NewGuid().ToString("N")[..16];
            var session = RunSessionAsync(socket, id, proxy);
            _sessions[id] = session;
            if (session.IsCompleted)
            {
                // It ended before it was recorded; its own clean-up found nothing to remove.
                _sessions.TryRemove(id, out _);
            }
        }
    }

    private async Task RunSessionAsync(Socket socket, string id, bool proxy)
    {
        // Leave the accept loop at once; the session runs on the thread pool.
        await Task.Yield();
        try
        {
            socket.NoDelay = true;
            var session = new SmtpSession(_context, socket, id, proxy);
            await session.RunAsync();
        }
        catch (Exception ex)
        {
            // RunAsync handles its own failures; this is the last line of defence for the server.
            SmtpLog.SessionFailed(_logger, ex, id);
            socket.Dispose();
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            SmtpMetrics.SessionsActive.Dec();
            _sessions.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// One 421 and close, without a session. A new connection's send buffer is empty, so the short
    /// reply goes out without blocking the accept loop. On the PROXY listener the reply goes before
    /// any header is read: it is meant for whoever is on the other side, and says nothing about them.
    /// </summary>
    private static void Refuse(Socket socket, SmtpReply reply, string result)
    {
        SmtpMetrics.Connections.WithLabels(result).Inc();
        try
        {
            socket.Blocking = false;
            socket.Send(Encoding.ASCII.GetBytes(reply.ToString()));
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The client is gone already.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private static string PeerText(Socket socket) =>
        socket.RemoteEndPoint is IPEndPoint remote ? TraceHeaders.AddressText(remote.Address) : "?";
}
