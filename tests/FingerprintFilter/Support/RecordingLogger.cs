using Microsoft.Extensions.Logging;

namespace Gateway.FingerprintFilter.Tests.Support;

/// <summary>Records the event names logged, so a test can assert which events fired.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, string EventName)> _events = [];

    public IReadOnlyList<(LogLevel Level, string EventName)> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToList();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        lock (_events)
        {
            _events.Add((logLevel, eventId.Name ?? ""));
        }
    }
}
