using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.RetroRemediation.Tests.Support;

/// <summary>A logger provider that keeps every event, so tests can assert which events fired.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Name, LogLevel Level, string Message)> _events = new();

    public IReadOnlyCollection<(string Name, LogLevel Level, string Message)> Events => _events;

    public IEnumerable<string> Messages(string eventName) =>
        _events.Where(e => e.Name == eventName).Select(e => e.Message);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            owner._events.Enqueue((eventId.Name ?? "", logLevel, formatter(state, exception)));
    }
}
