using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
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

            await AssertTokenReplacedAsync(http, first, second);
        }
        finally
        {
            await gateway.DisposeAsync();
            gateway.DeleteData();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Kubernetes rotates a mounted Secret by swapping a directory symlink: the token file's own link and write time
    /// stay the same. A copy that keeps the old write time (cp -p, rsync -t) looks the same to a time check.
    /// </summary>
    [Theory]
    [InlineData("symlink-swap")]
    [InlineData("same-write-time")]
    public async Task TokenFile_RotatedWithoutANewWriteTime_NewTokenAcceptedWithoutRestart(string how)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gw-token-" + Guid.NewGuid().ToString("N"));
        var first = "first-" + Guid.NewGuid().ToString("N");
        var second = "second-" + Guid.NewGuid().ToString("N");
        string file;
        if (how == "symlink-swap")
        {
            // The kubelet's layout: token -> ..data/token, ..data -> ..v1 (then swapped to ..v2).
            Directory.CreateDirectory(Path.Combine(dir, "..v1"));
            Directory.CreateDirectory(Path.Combine(dir, "..v2"));
            await File.WriteAllTextAsync(Path.Combine(dir, "..v1", "token"), first + "\n");
            await File.WriteAllTextAsync(Path.Combine(dir, "..v2", "token"), second + "\n");
            File.CreateSymbolicLink(Path.Combine(dir, "..data"), "..v1");
            file = Path.Combine(dir, "token");
            File.CreateSymbolicLink(file, Path.Combine("..data", "token"));
        }
        else
        {
            Directory.CreateDirectory(dir);
            file = Path.Combine(dir, "admin-token");
            await File.WriteAllTextAsync(file, first + "\n");
        }

        var gateway = await GatewayInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Admin:TokenFile"] = file,
        });
        try
        {
            using var http = gateway.AdminClient();
            Assert.Equal(HttpStatusCode.OK, await QueueStatusAsync(http, first));

            if (how == "symlink-swap")
            {
                var swap = Path.Combine(dir, "..data.tmp");
                File.CreateSymbolicLink(swap, "..v2");
                // rename(2) over the old link, as the kubelet does (File.Move refuses a link to a directory).
                Assert.Equal(0, Rename(swap, Path.Combine(dir, "..data")));
            }
            else
            {
                var written = File.GetLastWriteTimeUtc(file);
                await File.WriteAllTextAsync(file, second + "\n");
                File.SetLastWriteTimeUtc(file, written);
            }

            await AssertTokenReplacedAsync(http, first, second);
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

    /// <summary>The file is read again at most every 5 s: polls for up to 30 s until the new token works, then
    /// checks that the old one no longer does.</summary>
    private static async Task AssertTokenReplacedAsync(HttpClient http, string old, string replacement)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await QueueStatusAsync(http, replacement) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Equal(HttpStatusCode.OK, await QueueStatusAsync(http, replacement));
        Assert.Equal(HttpStatusCode.Unauthorized, await QueueStatusAsync(http, old));
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string from, string to);

    private static async Task<HttpStatusCode> QueueStatusAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/queue");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
