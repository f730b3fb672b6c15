using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Testing;

namespace Gateway.RetroRemediation.Tests.Support;

/// <summary>
/// A small JMAP mail server (RFC 8620, RFC 8621) on 127.0.0.1 for the adapter tests, since no JMAP server
/// package is available here: the session resource, and Mailbox/get, Mailbox/set (create), Email/query
/// (header filter), Email/get and Email/set (patch updates of mailboxIds and keywords, destroy) with
/// result references. Logins are "&lt;address&gt;%admin" with <see cref="Password"/> (a master-user form);
/// each address is its own account with Inbox, Junk and Trash.
/// </summary>
public sealed class JmapTestServer : IAsyncDisposable
{
    public const string Password = "jmap-test-secret";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private int _nextId;

    public JmapTestServer()
    {
        Url = $"http://127.0.0.1:{FreePort.Next()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public string SessionUrl => Url + "/.well-known/jmap";

    /// <summary>When true every request is answered 503, as by a store that is down.</summary>
    public bool Unavailable { get; set; }

    /// <summary>When set, the session document names this apiUrl instead of our own.</summary>
    public string? ApiUrlOverride { get; set; }

    public int ApiCalls { get; private set; }

    /// <summary>Delivers a message into the inbox of <paramref name="address"/>; returns the email id.</summary>
    public string Deliver(string address, string messageId, long size)
    {
        lock (_gate)
        {
            var account = AccountOf(address);
            var email = new Email("e" + ++_nextId, messageId, size, DateTimeOffset.UtcNow);
            email.MailboxIds.Add(account.MailboxId("inbox"));
            account.Emails[email.Id] = email;
            return email.Id;
        }
    }

    /// <summary>
    /// The mailbox names (by role, or name) and keywords of an email, as the user's client would see them.
    /// </summary>
    public (IReadOnlyList<string> Mailboxes, IReadOnlyList<string> Keywords)? Inspect(string address, string emailId)
    {
        lock (_gate)
        {
            var account = AccountOf(address);
            if (!account.Emails.TryGetValue(emailId, out var email))
            {
                return null;
            }

            var names = email.MailboxIds.Select(id => account.Mailboxes.Single(m => m.Id == id).Name).Order().ToList();
            return (names, email.Keywords.Order(StringComparer.Ordinal).ToList());
        }
    }

    /// <summary>What a user does in their client: moves the email to another mailbox.</summary>
    public void UserMove(string address, string emailId, string toMailboxName)
    {
        lock (_gate)
        {
            var account = AccountOf(address);
            var email = account.Emails[emailId];
            email.MailboxIds.Clear();
            email.MailboxIds.Add(account.Mailboxes.Single(m => m.Name == toMailboxName).Id);
        }
    }

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

    private Account AccountOf(string address)
    {
        if (!_accounts.TryGetValue(address, out var account))
        {
            account = new Account("A" + (_accounts.Count + 1), address);
            account.Mailboxes.Add(new Mailbox("m-inbox-" + account.Id, "Inbox", "inbox"));
            account.Mailboxes.Add(new Mailbox("m-junk-" + account.Id, "Junk", "junk"));
            account.Mailboxes.Add(new Mailbox("m-trash-" + account.Id, "Trash", "trash"));
            _accounts[address] = account;
        }

        return account;
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

            try
            {
                await HandleAsync(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client went away.
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        if (Unavailable)
        {
            await AnswerAsync(context, 503, "{}");
            return;
        }

        var user = Authenticate(context.Request.Headers["Authorization"]);
        if (user is null)
        {
            await AnswerAsync(context, 401, """{"type":"about:blank","status":401}""");
            return;
        }

        var path = context.Request.Url!.AbsolutePath;
        if (context.Request.HttpMethod == "GET" && path == "/.well-known/jmap")
        {
            string accountId;
            lock (_gate)
            {
                accountId = AccountOf(user).Id;
            }

            var session = new JsonObject
            {
                ["capabilities"] = new JsonObject { ["urn:ietf:params:jmap:core"] = new JsonObject() },
                ["accounts"] = new JsonObject
                {
                    [accountId] = new JsonObject { ["name"] = user, ["isPersonal"] = true },
                },
                ["primaryAccounts"] = new JsonObject { ["urn:ietf:params:jmap:mail"] = accountId },
                ["username"] = user,
                ["apiUrl"] = ApiUrlOverride ?? Url + "/jmap/api/",
                ["state"] = "s1",
            };
            await AnswerAsync(context, 200, session.ToJsonString());
            return;
        }

        if (context.Request.HttpMethod == "POST" && path == "/jmap/api/")
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
            JsonObject answer;
            lock (_gate)
            {
                ApiCalls++;
                answer = Process(AccountOf(user), request);
            }

            await AnswerAsync(context, 200, answer.ToJsonString());
            return;
        }

        await AnswerAsync(context, 404, "{}");
    }

    private static string? Authenticate(string? header)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
        var colon = text.IndexOf(':');
        var login = text[..colon];
        var percent = login.IndexOf('%');
        return colon > 0 && percent > 0 && login[(percent + 1)..] == "admin" && text[(colon + 1)..] == Password
            ? login[..percent]
            : null;
    }

    private JsonObject Process(Account account, JsonObject request)
    {
        var responses = new JsonArray();
        var results = new Dictionary<string, JsonObject>();
        foreach (var call in request["methodCalls"]!.AsArray())
        {
            var name = call![0]!.GetValue<string>();
            var arguments = call[1]!.AsObject();
            var callId = call[2]!.GetValue<string>();
            JsonObject result;
            if (arguments["accountId"]?.GetValue<string>() != account.Id)
            {
                responses.Add(new JsonArray("error", new JsonObject { ["type"] = "accountNotFound" }, callId));
                continue;
            }

            result = name switch
            {
                "Mailbox/get" => MailboxGet(account),
                "Mailbox/set" => MailboxSet(account, arguments),
                "Email/query" => EmailQuery(account, arguments),
                "Email/get" => EmailGet(account, arguments, results),
                "Email/set" => EmailSet(account, arguments),
                _ => new JsonObject { ["type"] = "unknownMethod" },
            };
            results[callId] = result;
            responses.Add(new JsonArray(name, result, callId));
        }

        return new JsonObject { ["methodResponses"] = responses, ["sessionState"] = "s1" };
    }

    private static JsonObject MailboxGet(Account account) => new()
    {
        ["accountId"] = account.Id,
        ["list"] = new JsonArray(account.Mailboxes.Select(m => (JsonNode)new JsonObject
        {
            ["id"] = m.Id,
            ["name"] = m.Name,
            ["role"] = m.Role,
            ["parentId"] = null,
        }).ToArray()),
    };

    private JsonObject MailboxSet(Account account, JsonObject arguments)
    {
        var created = new JsonObject();
        foreach (var (key, value) in arguments["create"]!.AsObject())
        {
            var mailbox = new Mailbox("m" + ++_nextId, value!["name"]!.GetValue<string>(), null);
            account.Mailboxes.Add(mailbox);
            created[key] = new JsonObject { ["id"] = mailbox.Id };
        }

        return new JsonObject { ["accountId"] = account.Id, ["created"] = created };
    }

    private static JsonObject EmailQuery(Account account, JsonObject arguments)
    {
        var header = arguments["filter"]!["header"]!.AsArray();
        var value = header[1]!.GetValue<string>();
        var ids = account.Emails.Values
            .Where(e => e.MessageIdHeader.Contains(value, StringComparison.Ordinal))
            .Select(e => (JsonNode)e.Id)
            .ToArray();
        return new JsonObject { ["accountId"] = account.Id, ["ids"] = new JsonArray(ids) };
    }

    private static JsonObject EmailGet(Account account, JsonObject arguments, Dictionary<string, JsonObject> results)
    {
        // A result reference (RFC 8620 section 3.7) to the ids of an earlier call.
        var reference = arguments["#ids"]!.AsObject();
        var earlier = results[reference["resultOf"]!.GetValue<string>()];
        var ids = earlier["ids"]!.AsArray().Select(n => n!.GetValue<string>());
        var list = new JsonArray();
        foreach (var id in ids)
        {
            var email = account.Emails[id];
            list.Add(new JsonObject
            {
                ["id"] = email.Id,
                ["mailboxIds"] = new JsonObject(email.MailboxIds.Select(m => KeyValuePair.Create(m, (JsonNode?)true))),
                ["keywords"] = new JsonObject(email.Keywords.Select(k => KeyValuePair.Create(k, (JsonNode?)true))),
                ["size"] = email.Size,
                ["receivedAt"] = email.ReceivedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                ["messageId"] = new JsonArray(email.MessageIdHeader.Trim('<', '>')),
            });
        }

        return new JsonObject { ["accountId"] = account.Id, ["list"] = list, ["notFound"] = new JsonArray() };
    }

    private static JsonObject EmailSet(Account account, JsonObject arguments)
    {
        var result = new JsonObject { ["accountId"] = account.Id };
        if (arguments["update"] is JsonObject updates)
        {
            var updated = new JsonObject();
            var notUpdated = new JsonObject();
            foreach (var (id, patch) in updates)
            {
                if (!account.Emails.TryGetValue(id, out var email))
                {
                    notUpdated[id] = new JsonObject { ["type"] = "notFound" };
                    continue;
                }

                foreach (var (path, value) in patch!.AsObject())
                {
                    var slash = path.IndexOf('/');
                    var set = path[..slash] == "mailboxIds" ? email.MailboxIds : email.Keywords;
                    if (value is null)
                    {
                        set.Remove(path[(slash + 1)..]);
                    }
                    else
                    {
                        set.Add(path[(slash + 1)..]);
                    }
                }

                updated[id] = null;
            }

            result["updated"] = updated;
            result["notUpdated"] = notUpdated;
        }

        if (arguments["destroy"] is JsonArray destroy)
        {
            var destroyed = new JsonArray();
            foreach (var id in destroy.Select(n => n!.GetValue<string>()))
            {
                if (account.Emails.Remove(id))
                {
                    destroyed.Add(id);
                }
            }

            result["destroyed"] = destroyed;
        }

        return result;
    }

    private static async Task AnswerAsync(HttpListenerContext context, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private sealed record Account(string Id, string Address)
    {
        public List<Mailbox> Mailboxes { get; } = [];

        public Dictionary<string, Email> Emails { get; } = new(StringComparer.Ordinal);

        public string MailboxId(string role) => Mailboxes.Single(m => m.Role == role).Id;
    }

    private sealed record Mailbox(string Id, string Name, string? Role);

    private sealed record Email(string Id, string MessageIdHeader, long Size, DateTimeOffset ReceivedAt)
    {
        public HashSet<string> MailboxIds { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Keywords { get; } = new(StringComparer.Ordinal);
    }
}
