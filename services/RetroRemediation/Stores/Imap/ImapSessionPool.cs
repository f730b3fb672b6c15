using Gateway.RetroRemediation.Configuration;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Stores.Imap;

/// <summary>
/// Keeps logged-in IMAP sessions per mailbox login for reuse, so the copies of one campaign in one
/// mailbox cost one login, not one each. A session is used by one caller at a time; idle sessions
/// beyond <c>Imap:MaxIdleSessions</c> or older than <c>Imap:SessionIdleTimeout</c> are logged out.
/// </summary>
internal sealed class ImapSessionPool : IDisposable
{
    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly LinkedList<ImapSession> _idle = new();
    private bool _disposed;

    public ImapSessionPool(IOptions<RetroRemediationOptions> options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>An idle session of <paramref name="login"/>, or null; stale ones are closed on the way.</summary>
    public ImapSession? TakeIdle(string login)
    {
        var stale = new List<ImapSession>();
        ImapSession? found = null;
        lock (_gate)
        {
            var cutoff = _time.GetUtcNow() - _options.Value.Imap.SessionIdleTimeout;
            for (var node = _idle.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.LastUsed < cutoff || !node.Value.IsUsable)
                {
                    stale.Add(node.Value);
                    _idle.Remove(node);
                }
                else if (found is null && node.Value.Login == login)
                {
                    found = node.Value;
                    _idle.Remove(node);
                }

                node = next;
            }
        }

        foreach (var session in stale)
        {
            session.Dispose();
        }

        return found;
    }

    /// <summary>
    /// Connects and logs in with SASL PLAIN: service account as authentication identity, mailbox as authorization
    /// identity.
    /// </summary>
    public async Task<ImapSession> OpenAsync(
        string login, ImapCredentials credentials, CancellationToken cancellationToken)
    {
        var imap = _options.Value.Imap;
        var client = new ImapClient { Timeout = (int)imap.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(imap.Host, imap.Port, SocketOptions(imap), cancellationToken);

            // RFC 4616 section 2: authzid = the mailbox, authcid = the master user.
            var plain = new SaslMechanismPlain(credentials.User, credentials.Password) { AuthorizationId = login };
            await client.AuthenticateAsync(plain, cancellationToken);
            return new ImapSession(login, client, _time.GetUtcNow());
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Returns a session after use; a session that saw an error is closed instead.</summary>
    public void Return(ImapSession session, bool healthy)
    {
        ImapSession? evicted = null;
        lock (_gate)
        {
            if (healthy && !_disposed && session.IsUsable && _options.Value.Imap.MaxIdleSessions > 0)
            {
                session.LastUsed = _time.GetUtcNow();
                _idle.AddFirst(session);
                if (_idle.Count > _options.Value.Imap.MaxIdleSessions)
                {
                    evicted = _idle.Last!.Value;
                    _idle.RemoveLast();
                }

                session = null!;
            }
        }

        session?.Dispose();
        evicted?.Dispose();
    }

    public int IdleCount
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    public void Dispose()
    {
        List<ImapSession> all;
        lock (_gate)
        {
            _disposed = true;
            all = [.. _idle];
            _idle.Clear();
        }

        foreach (var session in all)
        {
            session.Dispose();
        }
    }

    private static SecureSocketOptions SocketOptions(ImapStoreOptions imap) => imap.Security switch
    {
        ImapSecurity.None => SecureSocketOptions.None,
        ImapSecurity.StartTls => SecureSocketOptions.StartTls,
        ImapSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureUrl.IsLoopback(imap.Host) ? SecureSocketOptions.None : SecureSocketOptions.StartTls,
    };
}
