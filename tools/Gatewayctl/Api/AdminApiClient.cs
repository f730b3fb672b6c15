using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Gateway.Ctl.Cli;
using Gateway.V1;
using Google.Protobuf;

namespace Gateway.Ctl.Api;

/// <summary>
/// Calls the gateway's admin HTTP API (protos/gateway/v1/admin.proto): raw messages go up as the request
/// body, answers come back in the proto3 JSON mapping. Every failure becomes an <see cref="AdminApiException"/>
/// whose sentence names the URL and what to check, and never the token.
/// </summary>
public sealed class AdminApiClient : IDisposable
{
    // Answers are small JSON documents; a huge body means something else answered.
    private const int MaxAnswerBytes = 16 * 1024 * 1024;
    private const int MaxErrorTextChars = 300;

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly AdminEndpoint _endpoint;
    private readonly HttpClient _http;

    public AdminApiClient(AdminEndpoint endpoint)
    {
        _endpoint = endpoint;

        // No redirects: a redirect would be a misconfiguration, and following it could carry the token elsewhere.
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false };
        _http = new HttpClient(handler)
        {
            BaseAddress = endpoint.BaseUri,
            Timeout = endpoint.Timeout,
            MaxResponseContentBufferSize = MaxAnswerBytes,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("gatewayctl", "1"));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (endpoint.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.Token);
        }
    }

    public Task<ApiAnswer<T>> PostMessageAsync<T>(string path, byte[] message, CancellationToken cancellationToken)
        where T : IMessage<T>, new()
    {
        var content = new ByteArrayContent(message);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        return SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, path) { Content = content }, cancellationToken);
    }

    public Task<ApiAnswer<T>> PostJsonAsync<T>(string path, IMessage body, CancellationToken cancellationToken)
        where T : IMessage<T>, new()
    {
        var content = new StringContent(JsonFormatter.Default.Format(body), Encoding.UTF8, "application/json");
        return SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, path) { Content = content }, cancellationToken);
    }

    public Task<ApiAnswer<T>> GetAsync<T>(string path, CancellationToken cancellationToken)
        where T : IMessage<T>, new() =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    /// <summary>A POST without a body (an action such as a queue retry).</summary>
    public Task<ApiAnswer<T>> PostAsync<T>(string path, CancellationToken cancellationToken)
        where T : IMessage<T>, new() =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, path), cancellationToken);

    public Task<ApiAnswer<T>> DeleteAsync<T>(string path, CancellationToken cancellationToken)
        where T : IMessage<T>, new() =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<ApiAnswer<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
        where T : IMessage<T>, new()
    {
        using (request)
        {
            // Named before sending: HttpClient replaces RequestUri with the absolute one.
            var what = $"{request.Method} /{request.RequestUri?.OriginalString}";
            HttpResponseMessage response;
            string body;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AdminApiException(
                    $"the gateway admin API at {_endpoint.Display} did not answer within "
                    + $"{_endpoint.Timeout.TotalSeconds:0} seconds (is it overloaded? raise --timeout)",
                    ExitCodes.Unreachable);
            }
            catch (HttpRequestException e)
            {
                throw new AdminApiException(
                    $"cannot reach the gateway admin API at {_endpoint.Display}: {Describe(e)} "
                    + $"(is the gateway running? set --admin or {AdminEndpoint.AdminVariable})",
                    ExitCodes.Unreachable,
                    e);
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw Refusal(response.StatusCode, what, body);
                }

                try
                {
                    return new ApiAnswer<T>(Parser.Parse<T>(body), body);
                }
                catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException
                    or FormatException or InvalidOperationException)
                {
                    throw new AdminApiException(
                        $"the gateway admin API at {_endpoint.Display} answered {what} with something that is not "
                        + $"the expected JSON ({e.Message}); is --admin pointing at the admin port?",
                        ExitCodes.BadResponse,
                        e);
                }
            }
        }
    }

    private AdminApiException Refusal(HttpStatusCode status, string what, string body)
    {
        var code = $"{(int)status} {ReasonPhrase(status)}";
        var detail = ErrorText(body);
        var because = detail is null ? string.Empty : $": {detail}";
        switch (status)
        {
            case HttpStatusCode.Unauthorized:
            case HttpStatusCode.Forbidden:
                var hint = _endpoint.Token is null
                    ? $"it needs a token: set --token, --token-file or {AdminEndpoint.TokenVariable}"
                    : "check the token given by --token, --token-file or " + AdminEndpoint.TokenVariable;
                return new AdminApiException(
                    $"the gateway admin API at {_endpoint.Display} refused {what} ({code}){because}; {hint}",
                    ExitCodes.Unauthorized);
            case HttpStatusCode.NotFound when detail is null:
                return new AdminApiException(
                    $"the server at {_endpoint.Display} has no {what} ({code}); is --admin pointing at the "
                    + "gateway's admin port?",
                    ExitCodes.ServerError);
            default:
                var side = (int)status >= 500 ? "failed on" : "refused";
                return new AdminApiException(
                    $"the gateway admin API at {_endpoint.Display} {side} {what} ({code}){because}",
                    ExitCodes.ServerError);
        }
    }

    /// <summary>The ApiError text of an error body, or a short single-line excerpt of whatever else it is.</summary>
    private static string? ErrorText(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        string text;
        try
        {
            text = Parser.Parse<ApiError>(body).Error;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException
            or FormatException or InvalidOperationException)
        {
            text = body;
        }

        var oneLine = new StringBuilder(Math.Min(text.Length, MaxErrorTextChars));
        foreach (var c in text)
        {
            if (oneLine.Length >= MaxErrorTextChars)
            {
                oneLine.Append("...");
                break;
            }

            oneLine.Append(char.IsControl(c) ? ' ' : c);
        }

        var result = oneLine.ToString().Trim();
        return result.Length == 0 ? null : result;
    }

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.MethodNotAllowed => "Method Not Allowed",
        HttpStatusCode.Conflict => "Conflict",
        HttpStatusCode.RequestEntityTooLarge => "Content Too Large",
        HttpStatusCode.UnsupportedMediaType => "Unsupported Media Type",
        HttpStatusCode.TooManyRequests => "Too Many Requests",
        HttpStatusCode.InternalServerError => "Internal Server Error",
        HttpStatusCode.BadGateway => "Bad Gateway",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        HttpStatusCode.GatewayTimeout => "Gateway Timeout",
        _ => status.ToString(),
    };

    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "unknown host",
                    SocketError.TimedOut => "connection timed out",
                    SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to the host",
                    SocketError.ConnectionReset => "connection reset",
                    _ => socket.Message,
                };
            }
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "unknown host",
            HttpRequestError.SecureConnectionError => "TLS handshake failed",
            HttpRequestError.ResponseEnded => "the connection closed before an answer came",
            HttpRequestError.InvalidResponse => "the answer was not HTTP",
            _ => e.Message,
        };
    }
}
