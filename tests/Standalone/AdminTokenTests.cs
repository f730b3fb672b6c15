using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Gateway.Standalone.Tests;

/// <summary>
/// The admin token shares the gRPC token's rules: a file is re-read when it changes (a rotated secret takes
/// effect without a restart), a token short enough to guess or given twice stops start-up.
/// </summary>
public sealed class AdminTokenTests
{
    [Fact]
    public async Task TokenFile_Rotated_NewTokenAcceptedOldRefusedWithoutRestart()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gw-token-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "admin-token");
        var first = "first-" + Guid.NewGuid().ToString("N");
        var second = "second-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(file, first + "\n");
        var gateway = await GatewayInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Admin:TokenFile"] = file,
        });
        try
        {
            using var http = gateway.AdminClient();
            Assert.Equal(HttpStatusCode.OK, await QueueStatusAsync(http, first));
            Assert.Equal(HttpStatusCode.Unauthorized, await QueueStatusAsync(http, second));

            await File.WriteAllTextAsync(file, second + "\n");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(10));

            // The file is looked at again at most every 5 s: poll for up to 30 s.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await QueueStatusAsync(http, second) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            Assert.Equal(HttpStatusCode.OK, await QueueStatusAsync(http, second));
            Assert.Equal(HttpStatusCode.Unauthorized, await QueueStatusAsync(http, first));
        }
        finally
        {
            await gateway.DisposeAsync();
            gateway.DeleteData();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("short", null, "at least 16 characters")]
    [InlineData("two words-0123456789", null, "one word")]
    [InlineData("a-long-enough-admin-token", "file", "not both")]
    public async Task Token_Unusable_StartRefusedWithTheReason(string token, string? alsoFile, string reason)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gw-token-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var settings = new Dictionary<string, string?> { ["Gateway:Admin:Token"] = token };
        if (alsoFile is not null)
        {
            var file = Path.Combine(dir, "admin-token");
            await File.WriteAllTextAsync(file, token + "\n");
            settings["Gateway:Admin:TokenFile"] = file;
        }

        try
        {
            var failure = await Assert.ThrowsAsync<OptionsValidationException>(
                () => GatewayInstance.StartAsync(settings, dataDir: Path.Combine(dir, "data")));
            Assert.Contains(reason, failure.Message);
            Assert.Contains("Gateway:Admin:Token", failure.Message);
            Assert.DoesNotContain(token, failure.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<HttpStatusCode> QueueStatusAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/queue");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
