using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Tests.Queue.Support;

/// <summary>Keeps every log event, so tests can assert which events fired (by EventId name).</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string EventName, string Message)> Events { get; } = new();

    public IReadOnlyList<string> Names => Events.Select(e => e.EventName).ToList();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter) =>
        Events.Enqueue((logLevel, eventId.Name ?? "", formatter(state, exception)));
}
