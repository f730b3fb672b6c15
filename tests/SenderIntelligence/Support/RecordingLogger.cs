using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.SenderIntelligence.Tests.Support;

/// <summary>Keeps every entry so tests can assert which event fired.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string? EventName, string Message, Exception? Exception)> Entries { get; }
        = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId.Name, formatter(state, exception), exception));

    public bool Has(string eventName) => Entries.Any(e => e.EventName == eventName);
}
