using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Gateway.RetroRemediation.Stores.Webhook;
using Gateway.Testing;
using Gateway.V1;
using Google.Protobuf;

namespace Gateway.RetroRemediation.Tests.Support;

/// <summary>
/// A store's webhook endpoint on 127.0.0.1: checks the signature, keeps every request, and answers with
/// what the test's <see cref="Respond"/> says (status and body). Counts requests in flight at once.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly byte[] _secret;
    private int _inFlight;
    private int _maxInFlight;

    public WebhookReceiver(byte[] secret)
    {
        _secret = secret;
        Url = $"http://127.0.0.1:{FreePort.Next()}/hook";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<(WebhookActionRequest Request, bool SignatureValid, string IdempotencyKey)> Requests
    {
        get;
    } = new();

    /// <summary>The answer to each request: status code and body. Default: 200 with result done.</summary>
    public Func<WebhookActionRequest, (int Status, string Body)> Respond { get; set; } =
        _ => (200, """{"result":"done","detail":"moved by the store"}""");

    /// <summary>How long each answer takes.</summary>
    public TimeSpan Delay { get; set; }

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e)
            when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
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
            catch (Exception e)
                when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var seen = _maxInFlight; now > seen; seen = _maxInFlight)
        {
            Interlocked.CompareExchange(ref _maxInFlight, now, seen);
        }

        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var bytes = body.ToArray();
            var timestamp = context.Request.Headers[WebhookStoreAdapter.TimestampHeader] ?? "";
            var valid = WebhookSignature.Verify(
                _secret, timestamp, bytes, context.Request.Headers[WebhookStoreAdapter.SignatureHeader]);
            var request = Parser.Parse<WebhookActionRequest>(Encoding.UTF8.GetString(bytes));
            Requests.Enqueue((request, valid, context.Request.Headers[WebhookStoreAdapter.IdempotencyHeader] ?? ""));
            await Task.Delay(Delay);
            var (status, text) = valid ? Respond(request) : (401, "");
            var answer = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = answer.Length;
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or InvalidJsonException)
        {
            context.Response.Abort();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
