using System.Text;
using Gateway.V1;
using Google.Protobuf;

namespace Gateway.Cluster.Tests.Support;

/// <summary>The edge's admin API (what gatewayctl calls), on its loopback HTTP port.</summary>
public sealed class EdgeAdmin : IDisposable
{
    private readonly HttpClient _http;

    public EdgeAdmin(EdgeInstance edge) => _http = new HttpClient
    {
        BaseAddress = new Uri($"http://127.0.0.1:{edge.Process.HttpPort}/"),
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Records on the queue and delay topics the delivery group has not committed yet.</summary>
    public async Task<int> QueuedAsync() =>
        QueueListing.Parser.ParseJson(await _http.GetStringAsync("api/v1/queue")).Status.RecordsWaiting;

    public Task<DeliveriesLookup> DeliveriesAsync(string message) => PostAsync<DeliveriesLookup>(
        "api/v1/deliveries", message);

    public Task<ReportResult> ReportSpamAsync(string message) => PostAsync<ReportResult>(
        "api/v1/report/spam", message);

    /// <summary>The body of <c>/healthz/ready</c> and whether it said ready.</summary>
    public async Task<(bool Ready, string Text)> ReadyAsync()
    {
        using var response = await _http.GetAsync("healthz/ready");
        return (response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> PostAsync<T>(string path, string message)
        where T : IMessage<T>, new()
    {
        using var response = await _http.PostAsync(path, new StringContent(message, Encoding.UTF8, "message/rfc822"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return new MessageParser<T>(() => new T()).ParseJson(body);
    }
}
