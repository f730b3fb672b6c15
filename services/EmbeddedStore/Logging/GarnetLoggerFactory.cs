using Microsoft.Extensions.Logging;

namespace Gateway.EmbeddedStore.Logging;

/// <summary>
/// Hands Garnet loggers that write into the host's logging pipeline under a <c>Garnet.</c> category,
/// Warning and above only: Garnet reports every start-up step at Information, which is noise for a
/// gateway operator.
/// </summary>
internal sealed class GarnetLoggerFactory : ILoggerFactory
{
    private readonly ILoggerFactory _host;
    private readonly Func<bool> _isStopping;

    /// <param name="host">The host's factory; it stays owned by the host.</param>
    /// <param name="isStopping">True while the server shuts down, when cancelled background tasks are expected.</param>
    public GarnetLoggerFactory(ILoggerFactory host, Func<bool> isStopping)
    {
        _host = host;
        _isStopping = isStopping;
    }

    public ILogger CreateLogger(string categoryName) =>
        new GarnetLogger(_host.CreateLogger("Garnet." + categoryName), _isStopping);

    // Providers belong to the host's factory; Garnet has no business adding any.
    public void AddProvider(ILoggerProvider provider)
    {
    }

    // The host disposes its own factory.
    public void Dispose()
    {
    }
}
