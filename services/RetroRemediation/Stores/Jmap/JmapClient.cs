using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.RetroRemediation.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Stores.Jmap;

/// <summary>
/// The JMAP requests remediation needs (RFC 8620): session discovery, and method calls posted to the
/// session's apiUrl. Sessions (API URL, mail account id, mailbox ids) are kept per login for
/// <c>Jmap:SessionLifetime</c>. The apiUrl must be on the same origin as the configured session URL, so
/// a rogue session document cannot send our credentials elsewhere. Every failure is a
/// <see cref="JmapException"/> saying what went wrong, never with the credentials in it.
/// </summary>
internal sealed class JmapClient : IDisposable
{
    public const string CoreCapability = "urn:ietf:params:jmap:core";
    public const string MailCapability = "urn:ietf:params:jmap:mail";

    /// <summary>Session and API answers are small JSON documents; anything bigger is refused.</summary>
    private const int MaxResponseBytes = 4 * 1024 * 1024;

    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, JmapAccount> _accounts = new(StringComparer.Ordinal);

    public JmapClient(IOptions<RetroRemediationOptions> options, TimeProvider time)
    {
        _options = options;
        _time = time;

        // No redirects: following one could carry the credentials to another host.
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false };
        _http = new HttpClient(handler)
        {
            Timeout = options.Value.Jmap.Timeout,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
    }

    /// <summary>
    /// The mail account of a mailbox: with Basic, the primary mail account of the mailbox's own login;
    /// with a bearer token, the account named like the mailbox.
    /// </summary>
    public async Task<JmapAccount> GetAccountAsync(string login, string mailbox, CancellationToken cancellationToken)
    {
        var key = login.Length > 0 ? "u:" + login : "a:" + mailbox;
        if (_accounts.TryGetValue(key, out var cached)
            && _time.GetUtcNow() - cached.FetchedAt < _options.Value.Jmap.SessionLifetime)
        {
            return cached;
        }

        var sessionUrl = new Uri(_options.Value.Jmap.SessionUrl);
        using var request = new HttpRequestMessage(HttpMethod.Get, sessionUrl);
        var session = await SendAsync(request, login, "the session resource", cancellationToken);
        var apiUrlText = JmapJson.String(session["apiUrl"])
            ?? throw new JmapException("the session has no apiUrl (RFC 8620 section 2)");
        if (!Uri.TryCreate(sessionUrl, apiUrlText, out var apiUrl)
            || !string.Equals(apiUrl.GetLeftPart(UriPartial.Authority), sessionUrl.GetLeftPart(UriPartial.Authority),
                StringComparison.OrdinalIgnoreCase))
        {
            throw new JmapException("the session's apiUrl is not on the session URL's origin; refusing to use it");
        }

        string? accountId;
        if (login.Length > 0)
        {
            accountId = JmapJson.String((session["primaryAccounts"] as JsonObject)?[MailCapability]);
        }
        else
        {
            accountId = (session["accounts"] as JsonObject)?
                .FirstOrDefault(a => string.Equals(JmapJson.String((a.Value as JsonObject)?["name"]), mailbox,
                    StringComparison.OrdinalIgnoreCase)).Key;
        }

        if (string.IsNullOrEmpty(accountId))
        {
            throw new JmapException($"the JMAP session has no mail account for {mailbox}");
        }

        var account = new JmapAccount(login, apiUrl, accountId, _time.GetUtcNow());
        _accounts[key] = account;
        return account;
    }

    /// <summary>Forgets a session after an error, so the next try discovers it again.</summary>
    public void Forget(JmapAccount account)
    {
        foreach (var entry in _accounts.Where(e => ReferenceEquals(e.Value, account)).ToList())
        {
            _accounts.TryRemove(entry.Key, out _);
        }
    }

    /// <summary>
    /// Posts method calls (RFC 8620 section 3.3) and returns the responses by call id. A method-level
    /// error (section 3.6.2) becomes a <see cref="JmapException"/> naming its type.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, JsonObject>> CallAsync(
        JmapAccount account, JsonArray methodCalls, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["using"] = new JsonArray(CoreCapability, MailCapability),
            ["methodCalls"] = methodCalls,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, account.ApiUrl)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        var answer = await SendAsync(request, account.Login, "the API", cancellationToken);
        var responses = answer["methodResponses"] as JsonArray
            ?? throw new JmapException("the API answer has no methodResponses");
        var byId = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var node in responses)
        {
            if (node is not JsonArray { Count: 3 } response || response[1] is not JsonObject arguments)
            {
                throw new JmapException("the API answered a malformed method response");
            }

            var name = JmapJson.String(response[0]);
            var callId = JmapJson.String(response[2]) ?? "";
            if (name == "error")
            {
                throw new JmapException($"the server answered call {callId} with error {arguments["type"]}");
            }

            byId[callId] = arguments;
        }

        return byId;
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonObject> SendAsync(
        HttpRequestMessage request, string login, string what, CancellationToken cancellationToken)
    {
        var jmap = _options.Value.Jmap;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = login.Length > 0
            ? new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(login + ":" + jmap.ResolvedPassword)))
            : new AuthenticationHeaderValue("Bearer", jmap.ResolvedBearerToken);

        HttpResponseMessage response;
        string text;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new JmapException($"cannot reach {what}: {ex.HttpRequestError}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JmapException($"{what} did not answer within {jmap.Timeout.TotalSeconds:0} s", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                // RFC 8620 section 3.6.1: request-level errors are problem documents; the type is enough.
                var problem = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    ? $"refused the login for {(login.Length > 0 ? login : "the bearer token")}"
                    : $"answered HTTP {(int)response.StatusCode}";
                throw new JmapException($"{what} {problem}");
            }

            try
            {
                return JsonNode.Parse(text) as JsonObject
                    ?? throw new JmapException($"{what} did not answer a JSON object");
            }
            catch (JsonException ex)
            {
                throw new JmapException($"{what} did not answer JSON", ex);
            }
        }
    }
}
