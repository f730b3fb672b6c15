using System.Net.Http.Headers;
using Gateway.V1;
using Google.Protobuf;

namespace Gateway.Standalone.Tests;

/// <summary>Calls the admin API as gatewayctl does and parses the proto3 JSON replies.</summary>
public static class AdminApi
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static async Task<ReportResult> ReportAsync(HttpClient http, string kind, byte[] message)
    {
        var json = await PostAsync(http, $"/api/v1/report/{kind}", message);
        return Parser.Parse<ReportResult>(json);
    }

    public static async Task<DeliveriesLookup> DeliveriesAsync(HttpClient http, byte[] message)
    {
        var json = await PostAsync(http, "/api/v1/deliveries", message);
        return Parser.Parse<DeliveriesLookup>(json);
    }

    public static async Task<SenderProfile> SenderAsync(HttpClient http, string subject)
    {
        using var response = await http.GetAsync("/api/v1/sender?subject=" + Uri.EscapeDataString(subject));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/api/v1/sender: {(int)response.StatusCode} {body}");
        return Parser.Parse<SenderProfile>(body);
    }

    private static async Task<string> PostAsync(HttpClient http, string path, byte[] message)
    {
        using var content = new ByteArrayContent(message);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        using var response = await http.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
