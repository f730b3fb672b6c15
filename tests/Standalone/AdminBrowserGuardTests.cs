using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Gateway.Standalone.Tests;

/// <summary>
/// A web page on the gateway's host must not drive the token-less loopback admin API: cross-site "simple" POSTs,
/// requests with an Origin, and DNS-rebound Host names are refused with 403, while gatewayctl's requests work.
/// </summary>
public sealed class AdminBrowserGuardTests
{
    private const string Approve = """{"subject":"203.0.113.66","reason":"page"}""";

    [Fact]
    public async Task AdminApi_BrowserShapedRequests_Refused403_GatewayctlShapedAccepted()
    {
        var gateway = await GatewayInstance.StartAsync();
        try
        {
            using var http = gateway.AdminClient();

            // A cross-site form or fetch with a "simple" content type (no CORS preflight in a browser).
            Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(http, "text/plain", Approve));
            Assert.Equal(HttpStatusCode.Forbidden,
                await PostAsync(http, "application/x-www-form-urlencoded", "subject=203.0.113.66"));

            // What browsers add to any cross-origin (and same-origin) POST.
            Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(http, "application/json", Approve,
                r => r.Headers.Add("Origin", "http://evil.example")));
            Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(http, "application/json", Approve,
                r => r.Headers.Add("Sec-Fetch-Site", "cross-site")));

            // A page that rebound its own name to 127.0.0.1 reads with its name in Host.
            using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sender?subject=203.0.113.66");
            rebound.Headers.Host = "rebind.evil.example:" + gateway.AdminUrl.Port;
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(rebound)).StatusCode);

            // Nothing above approved the address; gatewayctl's own request (application/json, IP Host) does.
            Assert.Null((await AdminApi.SenderAsync(http, "203.0.113.66")).Override);
            Assert.Equal(HttpStatusCode.OK, await PostAsync(http, "application/json", Approve));
            Assert.NotNull((await AdminApi.SenderAsync(http, "203.0.113.66")).Override);
            using var localhost = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sender?subject=203.0.113.66");
            localhost.Headers.Host = "localhost:" + gateway.AdminUrl.Port;
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(localhost)).StatusCode);
        }
        finally
        {
            await gateway.DisposeAsync();
            gateway.DeleteData();
        }
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string type, string body,
        Action<HttpRequestMessage>? decorate = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sender/approve")
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(type);
        decorate?.Invoke(request);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
