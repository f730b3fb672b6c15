using System.Net;
using Gateway.Standalone.Hosting;
using Gateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Gateway.Standalone.Tests;

/// <summary>A standalone gateway running in the test process on free loopback ports with its own DataDir.</summary>
public sealed class GatewayInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayInstance(WebApplication app, string dataDir, int smtpPort, int adminPort)
    {
        _app = app;
        DataDir = dataDir;
        SmtpPort = smtpPort;
        AdminUrl = new Uri($"http://127.0.0.1:{adminPort}");
    }

    public string DataDir { get; }

    public int SmtpPort { get; }

    public Uri AdminUrl { get; }

    public string MaildirRoot => Path.Combine(DataDir, "mail");

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a gateway for example.test; <paramref name="settings"/> override the defaults.</summary>
    public static async Task<GatewayInstance> StartAsync(
        IDictionary<string, string?>? settings = null, string? dataDir = null)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), "gw-e2e-" + Guid.NewGuid().ToString("N"));
        var smtpPort = FreePort.Next();
        var adminPort = FreePort.Next();
        var values = new Dictionary<string, string?>
        {
            ["Gateway:Domains:0"] = "example.test",
            ["Gateway:DataDir"] = dataDir,
            ["Gateway:Hostname"] = "gw.test",
            ["Gateway:Smtp:Listen"] = $"127.0.0.1:{smtpPort}",
            ["Gateway:Admin:Listen"] = $"127.0.0.1:{adminPort}",
            ["Gateway:Delivery:RetryInitialDelay"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var app = StandaloneHost.Build([], config => config.AddInMemoryCollection(values));
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new GatewayInstance(app, dataDir, smtpPort, adminPort);
    }

    public HttpClient AdminClient() => new() { BaseAddress = AdminUrl, Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask DisposeAsync()
    {
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await _app.StopAsync(cts.Token);
        }

        await _app.DisposeAsync();
    }

    /// <summary>Removes the data directory (call after dispose, when the test no longer needs it).</summary>
    public void DeleteData()
    {
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public IPEndPoint SmtpEndPoint => new(IPAddress.Loopback, SmtpPort);
}
