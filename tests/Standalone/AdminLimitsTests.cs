using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Gateway.Standalone.Tests;

/// <summary>The admin API's message calls answer oversized input with a JSON 413, before any fingerprinting.</summary>
public sealed class AdminLimitsTests
{
    [Fact]
    public async Task Deliveries_HeaderSectionOverTheLimit_Refused413WithJsonError()
    {
        var gateway = await GatewayInstance.StartAsync();
        try
        {
            using var http = gateway.AdminClient();
            var header = new StringBuilder();
            while (header.Length < 2 * 1024 * 1024)
            {
                header.Append("X-Filler-").Append(header.Length).Append(": ").Append('a', 60).Append("\r\n");
            }

            using var content = new ByteArrayContent(Encoding.ASCII.GetBytes(header.ToString()));
            content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
            using var response = await http.PostAsync("/api/v1/deliveries", content);
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("header section is larger than", body);
        }
        finally
        {
            await gateway.DisposeAsync();
            gateway.DeleteData();
        }
    }

    [Fact]
    public async Task ReportSpam_ContentLengthOverTheLimit_Refused413WithJsonError()
    {
        var gateway = await GatewayInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Admin:MaxMessageBytes"] = "4096",
        });
        try
        {
            using var http = gateway.AdminClient();
            using var content = new ByteArrayContent(new byte[100_000]);
            content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
            using var response = await http.PostAsync("/api/v1/report/spam", content);
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("larger than the limit of 4096 bytes", body);
        }
        finally
        {
            await gateway.DisposeAsync();
            gateway.DeleteData();
        }
    }
}
