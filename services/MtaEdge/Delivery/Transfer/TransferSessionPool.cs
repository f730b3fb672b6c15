using System.Collections.Concurrent;

namespace Gateway.MtaEdge.Delivery.Transfer;

/// <summary>
/// Idle sessions to one next hop, kept for a short while after a transaction so the next message
/// skips the TCP, greeting, EHLO and TLS handshakes (as Postfix's connection cache does). Bounded in
/// number, idle time and transactions per connection; expired sessions are closed with QUIT by a
/// sweep, so a next hop is never left holding our idle connections for long.
/// </summary>
internal sealed class TransferSessionPool
{
    private readonly ConcurrentStack<TransferSession> _idle = new();
    private readonly TimeSpan _idleTime;
    private readonly int _maxIdle;
    private readonly int _maxUses;
    private readonly Func<MailTransferConnection, Task> _quit;
    private readonly Lock _gate = new();
    private Timer? _sweeper;

    public TransferSessionPool(
        TimeSpan idleTime, int maxIdle, int maxUses, Func<MailTransferConnection, Task> quit)
    {
        _idleTime = idleTime;
        _maxIdle = maxIdle;
        _maxUses = maxUses;
        _quit = quit;
    }

    public int IdleCount => _idle.Count;

    /// <summary>A session idle for less than the idle time, if there is one.</summary>
    public bool TryTake(out TransferSession session)
    {
        while (_idle.TryPop(out session!))
        {
            if (DateTimeOffset.UtcNow - session.IdleSince < _idleTime)
            {
                return true;
            }

            Close(session);
        }

        return false;
    }

    /// <summary>Keeps a clean session for the next transaction; false when it should be closed instead.</summary>
    public bool TryReturn(TransferSession session)
    {
        if (_idleTime <= TimeSpan.Zero || session.Uses >= _maxUses || _idle.Count >= _maxIdle)
        {
            return false;
        }

        session.IdleSince = DateTimeOffset.UtcNow;
        _idle.Push(session);
        EnsureSweeper();
        return true;
    }

    private void EnsureSweeper()
    {
        lock (_gate)
        {
            var period = _idleTime < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : _idleTime;
            _sweeper ??= new Timer(_ => Sweep(), null, period, period);
        }
    }

    private void Sweep()
    {
        var now = DateTimeOffset.UtcNow;
        var keep = new List<TransferSession>();
        while (_idle.TryPop(out var session))
        {
            if (now - session.IdleSince < _idleTime)
            {
                keep.Add(session);
            }
            else
            {
                Close(session);
            }
        }

        // Oldest back first, so the freshest is taken next.
        for (var i = keep.Count - 1; i >= 0; i--)
        {
            _idle.Push(keep[i]);
        }

        // Nothing left to watch: the timer goes, so a pool nobody uses any more can be collected.
        lock (_gate)
        {
            if (_idle.IsEmpty && _sweeper is not null)
            {
                _sweeper.Dispose();
                _sweeper = null;
            }
        }
    }

    private void Close(TransferSession session) => _ = Task.Run(async () =>
    {
        await _quit(session.Connection);
        await session.Connection.DisposeAsync();
    });
}
