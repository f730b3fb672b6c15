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
using Gateway.MtaEdge.Smtp.Session;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Smtp;

/// <summary>
/// The ESMTP listener the internet talks to: accepts connections and runs one session task per
/// connection. It listens from <see cref="StartAsync"/> on, so <see cref="LocalEndPoint"/> is known
/// (port 0 in tests) before the first client arrives. On stop it stops accepting, lets idle sessions
/// go with 421, gives sessions in the middle of a message <see cref="SmtpOptions.ShutdownGrace"/>,
/// then cancels what is left.
/// </summary>
public sealed class SmtpServer : BackgroundService
{
    // After the grace, cancelled sessions get this long to write their 421 and close.
    private static readonly TimeSpan AbortWait = TimeSpan.FromSeconds(5);

    private readonly SmtpOptions _options;
    private readonly ILogger<SmtpServer> _logger;
    private readonly SmtpSessionContext _context;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborted = new();
    private readonly ConcurrentDictionary<string, Task> _sessions = new();
    private Socket? _listener;
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

        _context = new SmtpSessionContext
        {
            Options = _options,
            Host = host,
            RecipientPolicy = new RecipientPolicy(domains, gatewayOptions.Value.Domains),
            SenderIntelligence = senderIntelligence,
            Intake = new MessageIntake(_options, host, fingerprintFilter, spool, logger),
            Logger = logger,
            Stopping = _stopping.Token,
            Aborted = _aborted.Token,
        };
    }

    /// <summary>The address the listener is bound to; null before <see cref="StartAsync"/>.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Sessions open right now.</summary>
    public int ActiveSessions => Volatile.Read(ref _active);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = EndpointParser.Parse(_options.Listen, SmtpOptions.SectionName + ":Listen");
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

        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        SmtpLog.Listening(_logger, LocalEndPoint);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener ?? throw new InvalidOperationException("StartAsync binds the listener first.");
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // E.g. out of file descriptors: keep serving the sessions already open, try again shortly.
                SmtpLog.AcceptFailed(_logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            if (Interlocked.Increment(ref _active) > _options.MaxSessions)
            {
                Interlocked.Decrement(ref _active);
                RefuseOverload(socket);
                continue;
            }

            SmtpMetrics.SessionsActive.Inc();
            var id = Guid.NewGuid().ToString("N")[..16];
            var session = RunSessionAsync(socket, id);
            _sessions[id] = session;
            if (session.IsCompleted)
            {
                // It ended before it was recorded; its own clean-up found nothing to remove.
                _sessions.TryRemove(id, out _);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // 1. Stop accepting.
        _listener?.Dispose();
        await base.StopAsync(cancellationToken);

        // 2. Idle sessions say 421 and close; sessions in the middle of a message get the grace.
        SmtpLog.Stopping(_logger, _sessions.Count);
        await _stopping.CancelAsync();
        var all = Task.WhenAll(_sessions.Values);
        await Task.WhenAny(all, Task.Delay(_options.ShutdownGrace, cancellationToken));

        // 3. Then everything left is cancelled.
        if (!all.IsCompleted)
        {
            await _aborted.CancelAsync();
            await Task.WhenAny(all, Task.Delay(AbortWait, CancellationToken.None));
        }
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        _stopping.Dispose();
        _aborted.Dispose();
        base.Dispose();
    }

    private async Task RunSessionAsync(Socket socket, string id)
    {
        // Leave the accept loop at once; the session runs on the thread pool.
        await Task.Yield();
        try
        {
            socket.NoDelay = true;
            var session = new SmtpSession(_context, socket, id);
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
    /// Over the session limit: one 421 and close, without a session. A new connection's send buffer
    /// is empty, so the short reply goes out without blocking the accept loop.
    /// </summary>
    private void RefuseOverload(Socket socket)
    {
        SmtpMetrics.Connections.WithLabels("overloaded").Inc();
        var client = socket.RemoteEndPoint is IPEndPoint remote ? TraceHeaders.AddressText(remote.Address) : "?";
        SmtpLog.TooManySessions(_logger, client, _options.MaxSessions);
        try
        {
            socket.Blocking = false;
            socket.Send(Encoding.ASCII.GetBytes(SmtpReplies.TooManySessions.ToString()));
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
}
