using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Tests.Interop.Support;

/// <summary>Keeps every log line of a host (category, event name, message) so a failing test can show them.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public override string ToString() => string.Join(Environment.NewLine, Lines);

    private sealed class Logger(CollectingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (provider.Lines.Count < 10_000)
            {
                provider.Lines.Enqueue(
                    $"{logLevel} {category} {eventId.Name}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
