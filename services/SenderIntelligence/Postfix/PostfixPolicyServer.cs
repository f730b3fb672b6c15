using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Common.Net;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence.Postfix;

/// <summary>
/// The Postfix policy delegation listener (SMTPD_POLICY_README): a request is <c>name=value</c> lines ended by an
/// empty line; the answer is <c>action=...</c> and an empty line; a connection carries any number of requests.
/// Lines, requests and connections are bounded; anything that is not the protocol closes the connection (Postfix
/// then logs a policy server error and retries), and a failed check answers DEFER_IF_PERMIT, never a crash.
/// </summary>
public sealed class PostfixPolicyServer : BackgroundService
{
    public const int MaxLineBytes = 8192;
    public const int MaxRequestBytes = 64 * 1024;

    private readonly PostfixPolicyHandler _handler;
    private readonly PostfixPolicyOptions _options;
    private readonly SenderMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly TaskCompletionSource<IPEndPoint> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostfixPolicyServer(
        PostfixPolicyHandler handler,
        IOptions<SenderIntelligenceOptions> options,
        SenderMetrics metrics,
        ILogger<PostfixPolicyServer> logger)
    {
        _handler = handler;
        _options = options.Value.PostfixPolicy;
        _metrics = metrics;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.MaxConnections, _options.MaxConnections);
    }

    /// <summary>The address actually listened on (a configured port 0 picks a free one).</summary>
    public Task<IPEndPoint> BoundEndpoint => _bound.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            _bound.TrySetCanceled(stoppingToken);
            return;
        }

        var listener = new TcpListener(EndpointParser.Parse(_options.Listen, "Gateway:Sender:PostfixPolicy:Listen"));
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            _bound.TrySetException(e);
            throw;
        }

        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        _bound.TrySetResult(endpoint);
        SenderIntelligenceLog.PostfixListening(_logger, endpoint.ToString());
        var connections = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stoppingToken).ConfigureAwait(false);
                var remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
                if (!_slots.Wait(0))
                {
                    SenderIntelligenceLog.PostfixBusy(_logger, remote, _options.MaxConnections);
                    client.Dispose();
                    continue;
                }

                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(ServeAsync(client, remote, stoppingToken));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            listener.Stop();
            await Task.WhenAll(connections).ConfigureAwait(false);
        }
    }

    private async Task ServeAsync(TcpClient client, string remote, CancellationToken stoppingToken)
    {
        // Off the accept loop at once.
        await Task.Yield();
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                var reader = new PolicyLineReader(stream);
                while (!stoppingToken.IsCancellationRequested)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    idle.CancelAfter(_options.IdleTimeout);
                    var request = new PostfixPolicyRequest();
                    var size = 0;
                    while (true)
                    {
                        var line = await reader.ReadLineAsync(MaxLineBytes, idle.Token).ConfigureAwait(false);
                        if (line is null)
                        {
                            return;
                        }

                        if (line.Length == 0)
                        {
                            if (request.Count == 0)
                            {
                                continue;
                            }

                            break;
                        }

                        size += line.Length + 1;
                        if (size > MaxRequestBytes)
                        {
                            SenderIntelligenceLog.PostfixBadRequest(_logger, remote,
                                $"a request is larger than {MaxRequestBytes} bytes");
                            return;
                        }

                        if (!request.TryAdd(line, out var error))
                        {
                            SenderIntelligenceLog.PostfixBadRequest(_logger, remote, error);
                            return;
                        }
                    }

                    var action = await AnswerAsync(request, remote, stoppingToken).ConfigureAwait(false);
                    var reply = Encoding.UTF8.GetBytes("action=" + action + "\n\n");
                    await stream.WriteAsync(reply, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException
            or ObjectDisposedException)
        {
            // The client went away, idled out, or the server is stopping.
        }
        catch (InvalidDataException e)
        {
            SenderIntelligenceLog.PostfixBadRequest(_logger, remote, e.Message);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<string> AnswerAsync(PostfixPolicyRequest request, string remote, CancellationToken stoppingToken)
    {
        var state = request.Get("protocol_state").ToUpperInvariant();
        string action;
        try
        {
            action = await _handler.HandleAsync(request, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            SenderIntelligenceLog.PostfixFailed(_logger, remote, e);
            action = "DEFER_IF_PERMIT Service temporarily unavailable";
        }

        var label = action.StartsWith('4') ? "tempfail" : action.StartsWith('5') ? "reject"
            : action == PostfixPolicyHandler.Neutral ? "dunno" : "defer";
        _metrics.RecordPostfixRequest(state.Length is > 0 and <= 20 ? state : "other", label);
        return action;
    }
}
