using System.Collections.Concurrent;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Postfix;

/// <summary>
/// What has been decided for each Postfix SMTP session. Postfix reports no connect or disconnect to a policy
/// server configured only under smtpd_recipient_restrictions, and one policy connection serves many SMTP
/// sessions; so sessions are told apart by client address and port, and each mail transaction by its
/// <c>instance</c>. The connect and MAIL checks run once, at the first request that needs them. Entries not used
/// for <see cref="IdleTime"/> are forgotten; the table is bounded.
/// </summary>
public sealed class PostfixSessions
{
    public static readonly TimeSpan IdleTime = TimeSpan.FromMinutes(10);
    public const int MaxSessions = 100_000;

    private readonly ConcurrentDictionary<string, PostfixSession> _sessions = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public PostfixSessions(TimeProvider time)
    {
        _time = time;
    }

    public int Count => _sessions.Count;

    public PostfixSession Get(string key)
    {
        var now = _time.GetUtcNow();
        if (_sessions.Count >= MaxSessions && !_sessions.ContainsKey(key))
        {
            foreach (var (k, s) in _sessions)
            {
                if (now - s.LastUsed > IdleTime)
                {
                    _sessions.TryRemove(k, out _);
                }
            }

            if (_sessions.Count >= MaxSessions)
            {
                _sessions.Clear();
            }
        }

        var session = _sessions.GetOrAdd(key, k => new PostfixSession(k));
        if (now - session.LastUsed > IdleTime && session.LastUsed != default)
        {
            // The same address and port after a long pause: a new SMTP session.
            session = new PostfixSession(key);
            _sessions[key] = session;
        }

        session.LastUsed = now;
        return session;
    }
}

/// <summary>One Postfix SMTP session as seen through its policy requests.</summary>
public sealed class PostfixSession
{
    public PostfixSession(string key)
    {
        Key = key;
    }

    /// <summary>Client address and port.</summary>
    public string Key { get; }

    /// <summary>The session id the checks use (and the store keys its counters by).</summary>
    public string Id { get; } = "postfix-" + Guid.NewGuid().ToString("N");

    public DateTimeOffset LastUsed { get; set; }

    public Verdict? Connect { get; set; }

    public string? MailInstance { get; set; }

    public Verdict? Mail { get; set; }

    /// <summary>Serialises the requests of one session (Postfix may hold several policy connections).</summary>
    public SemaphoreSlim Lock { get; } = new(1, 1);
}
