namespace Gateway.SenderIntelligence.Store;

/// <summary>
/// Remembers that the shared store just failed, so the checks stop waiting a full store timeout on every SMTP command
/// while it is down: after a failure, calls fail at once for <c>openFor</c>; then a single call goes through as a
/// probe, and its success closes the circuit again (its failure reopens it). Without this, a session needs one store
/// timeout per command during an outage, which stalls every client for seconds per message.
/// </summary>
public sealed class StoreCircuit
{
    private const int Closed = 0;
    private const int Open = 1;
    private const int Probing = 2;

    private readonly TimeSpan _openFor;
    private readonly TimeProvider _time;
    private int _state = Closed;
    private long _openUntilTicks;

    public StoreCircuit(TimeSpan openFor, TimeProvider time)
    {
        _openFor = openFor;
        _time = time;
    }

    /// <summary>True while calls fail at once; false when the store is believed to answer.</summary>
    public bool IsOpen => Volatile.Read(ref _state) != Closed;

    /// <summary>
    /// Whether a call may go to the store now. While open, the first caller after the open period becomes the probe
    /// (true); everyone else gets false until the probe has answered.
    /// </summary>
    public bool TryEnter()
    {
        var state = Volatile.Read(ref _state);
        if (state == Closed || _openFor <= TimeSpan.Zero)
        {
            return true;
        }

        if (state == Open && _time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _openUntilTicks))
        {
            return Interlocked.CompareExchange(ref _state, Probing, Open) == Open;
        }

        return false;
    }

    /// <summary>A call answered: the store is back. Returns true when this closed an open circuit.</summary>
    public bool Succeeded() => Interlocked.Exchange(ref _state, Closed) != Closed;

    /// <summary>
    /// A call ended neither way (cancelled by its caller): if it was the probe, let the next caller probe instead, so
    /// the circuit cannot stay half-open for ever.
    /// </summary>
    public void Abandoned() => Interlocked.CompareExchange(ref _state, Open, Probing);

    /// <summary>A call failed as unreachable: fail fast for a while. True when this opened the circuit.</summary>
    public bool Failed()
    {
        Interlocked.Exchange(ref _openUntilTicks, (_time.GetUtcNow() + _openFor).UtcTicks);
        return Interlocked.Exchange(ref _state, Open) == Closed;
    }
}
