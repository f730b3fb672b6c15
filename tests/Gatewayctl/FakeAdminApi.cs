using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Gateway.Testing;

namespace Gateway.Ctl.Tests;

/// <summary>
/// A stand-in for the gateway's admin API on 127.0.0.1: answers each "METHOD /path" with a canned status
/// and body, 404 otherwise, and records what it was sent. The end-to-end test against the real gateway
/// lives with the Standalone host.
/// </summary>
public sealed class FakeAdminApi : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _answers = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _queries = new();
    private readonly Task _loop;

    public FakeAdminApi()
    {
        Url = $"http://127.0.0.1:{FreePort.Next()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>The query string of each request, in order ("" when there was none).</summary>
    public IReadOnlyList<string> Queries => _queries.ToArray();

    public void Answer(string method, string path, int status, string body) =>
        _answers[method + " " + path] = (status, body);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
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

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var path = context.Request.Url!.AbsolutePath;
            _queries.Enqueue(context.Request.Url.Query);
            _requests.Enqueue(new RecordedRequest(
                context.Request.HttpMethod,
                path,
                context.Request.Headers["Authorization"],
                context.Request.ContentType,
                body.ToArray())
            {
                Query = context.Request.QueryString.AllKeys.OfType<string>()
                    .ToDictionary(k => k, k => context.Request.QueryString[k] ?? ""),
            });

            var (status, text) = _answers.TryGetValue(context.Request.HttpMethod + " " + path, out var answer)
                ? answer
                : (404, string.Empty);
            var bytes = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
