using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.Cluster.Tests.Support;

/// <summary>
/// A logger provider that keeps every event at every level, formatted, with its structured values and any
/// exception text: what a log shipper could ever see, so tests can look for secrets in it.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string EventName, string Text)> _events = new();

    public IEnumerable<string> EventNames => _events.Select(e => e.EventName);

    public string AllText => string.Join('\n', _events.Select(e => e.Text));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            owner._events.Enqueue((eventId.Name ?? "",
                $"{category} {logLevel} {formatter(state, exception)} {values} {exception}"));
        }
    }
}
