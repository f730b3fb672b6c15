using Microsoft.Extensions.Logging;

namespace Gateway.EmbeddedStore.Logging;

/// <summary>One Garnet category, forwarded at Warning and above.</summary>
internal sealed class GarnetLogger : ILogger
{
    private const LogLevel Floor = LogLevel.Warning;

    private readonly ILogger _inner;
    private readonly Func<bool> _isStopping;

    public GarnetLogger(ILogger inner, Func<bool> isStopping)
    {
        _inner = inner;
        _isStopping = isStopping;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel >= Floor && _inner.IsEnabled(logLevel);

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        // Garnet logs its background tasks' cancellation as an error when it is disposed; during our own
        // shutdown that is the expected outcome, not a fault worth an operator's attention.
        if (exception is OperationCanceledException && _isStopping())
        {
            return;
        }

        _inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
