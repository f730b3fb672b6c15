using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.Fuzz.Harnesses;

/// <summary>
/// Keeps the exceptions the code under test logged instead of throwing (parsers that never throw on content
/// log what they caught): the harness decides which of them are bugs.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message,
        Exception? Exception)> _entries = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Takes everything logged since the last call.</summary>
    public List<(string Category, LogLevel Level, string Message, Exception? Exception)> Drain()
    {
        var list = new List<(string, LogLevel, string, Exception?)>();
        while (_entries.TryDequeue(out var entry))
        {
            list.Add(entry);
        }

        return list;
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?,
                string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._entries.Enqueue((category, logLevel, formatter(state, exception), exception));
            }
        }
    }
}
