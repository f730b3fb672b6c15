using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Tests.Smtp.Support;

/// <summary>Keeps every log event (name, message) so tests can check what was logged.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(string EventName, string Message)> Events { get; } = new();

    public IReadOnlyList<string> Names => Events.Select(e => e.EventName).ToList();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter) =>
        Events.Enqueue(
            (eventId.Name ?? "", formatter(state, exception) + (exception is null ? "" : " | " + exception)));
}
