using System.Net.Http.Headers;
using Gateway.Standalone.Hosting;
using Gateway.Testing;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace Gateway.Charts.Tests.Prometheus;

/// <summary>
/// Starts the standalone gateway (all four tiers in this process), drives mail through every tier (a
/// delivery, a spam report that remediates it, a refused later copy) and keeps what /metrics served.
/// </summary>
public sealed class StandaloneMetrics : IAsyncLifetime
{
    private WebApplication? _app;
    private string? _dataDir;

    public Exposition Exposition { get; private set; } = new();

    public string Text { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _dataDir = Path.Combine(Path.GetTempPath(), "gw-charts-" + Guid.NewGuid().ToString("N"));
        var smtpPort = FreePort.Next();
        var adminPort = FreePort.Next();
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Domains:0"] = "example.test",
            ["Gateway:DataDir"] = _dataDir,
            ["Gateway:Hostname"] = "gw.test",
            ["Gateway:Smtp:Listen"] = $"127.0.0.1:{smtpPort}",
            ["Gateway:Admin:Listen"] = $"127.0.0.1:{adminPort}",
            ["Gateway:Delivery:RetryInitialDelay"] = "00:00:01",
        };
        _app = StandaloneHost.Build([], config => config.AddInMemoryCollection(settings));
        await _app.StartAsync();

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}"), Timeout = TimeSpan.FromSeconds(60) };
        var campaign = Message("Your reward is waiting", "<campaign-1@promo.invalid>");
        await SendAsync(smtpPort, campaign);
        await WaitForAsync(http, "gateway_delivery_attempts_total{result=\"delivered\"}");

        using (var content = new ByteArrayContent(await ToBytesAsync(campaign)))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
            using var report = await http.PostAsync("/api/v1/report/spam", content);
            report.EnsureSuccessStatusCode();
        }

        // A later copy of the convicted campaign is refused at end of DATA.
        await Assert.ThrowsAsync<SmtpCommandException>(
            () => SendAsync(smtpPort, Message("Last chance", "<campaign-2@promo.invalid>")));

        Text = await http.GetStringAsync("/metrics");
        Exposition = Exposition.Parse(Text);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _app.StopAsync(cts.Token);
            await _app.DisposeAsync();
        }

        if (_dataDir is not null && Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static MimeMessage Message(string subject, string messageId)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("offers@promo.invalid"));
        message.To.Add(MailboxAddress.Parse("alice@example.test"));
        message.Subject = subject;
        message.MessageId = messageId.Trim('<', '>');
        message.Body = new TextPart("plain")
        {
            Text = "Congratulations! You have been selected for an exclusive reward worth 500 dollars.\n"
                + "Claim it today at our partner site before the offer expires, only three gifts remain.\n"
                + "Reply with your address and we ship the prize within the week, no strings attached.\n",
        };
        return message;
    }

    private static async Task SendAsync(int port, MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        try
        {
            await smtp.SendAsync(message);
        }
        finally
        {
            await smtp.DisconnectAsync(true);
        }
    }

    private static async Task<byte[]> ToBytesAsync(MimeMessage message)
    {
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        return stream.ToArray();
    }

    private static async Task WaitForAsync(HttpClient http, string sample)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if ((await http.GetStringAsync("/metrics")).Contains(sample, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"/metrics never showed {sample}");
    }
}
