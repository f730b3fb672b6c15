using System.Diagnostics;
using System.Text.Json;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Postfix;
using Gateway.SenderIntelligence.Store;
using Gateway.SenderIntelligence.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Postfix;

/// <summary>
/// An unchanged Postfix (Debian's) using this tier through check_policy_service, with mail sent by Python's
/// smtplib; the tier's state lives in the embedded Garnet.
/// </summary>
public sealed class PostfixInteropTests : IClassFixture<PostfixFixture>, IClassFixture<EmbeddedGarnetFixture>
{
    private const string SendScript = """
        import json, smtplib, sys
        port, count = int(sys.argv[1]), int(sys.argv[2])
        results = []
        smtp = smtplib.SMTP("127.0.0.1", port, local_hostname="client.example.org", timeout=60)
        for i in range(count):
            body = f"From: a@example.org\r\nTo: b@remote.example\r\nSubject: test {i}\r\n\r\nbody {i}\r\n"
            try:
                smtp.sendmail("a@example.org", ["b@remote.example"], body)
                results.append({"code": 250, "text": "ok"})
            except smtplib.SMTPRecipientsRefused as e:
                code, text = list(e.recipients.values())[0]
                results.append({"code": code, "text": text.decode()})
                smtp.rset()
            except smtplib.SMTPResponseException as e:
                results.append({"code": e.smtp_code, "text": e.smtp_error.decode()})
                break
        try:
            smtp.quit()
        except Exception:
            pass
        print(json.dumps(results))
        """;

    private readonly PostfixFixture _postfix;
    private readonly string _garnet;

    public PostfixInteropTests(PostfixFixture postfix, EmbeddedGarnetFixture garnet)
    {
        _postfix = postfix;
        _garnet = garnet.Configuration;
    }

    [RequiresFact(TestServices.PostfixVariable)]
    public async Task Postfix_CheckPolicyService_LimitsBlocksAndCountsThroughTheListener()
    {
        _postfix.EnsureStarted();
        var options = new SenderIntelligenceOptions
        {
            PostfixPolicy = new PostfixPolicyOptions { Enabled = true, Listen = $"127.0.0.1:{_postfix.PolicyPort}" },
        };
        using var connection = SenderHarness.Connect(_garnet);
        var h = new SenderHarness(options, new RedisSenderStore(connection, Options.Create(options)),
            policy: Policies.Probation("messages_per_connection: 2, tarpit: 0"));
        using var server = new PostfixPolicyServer(
            new PostfixPolicyHandler(h.Service, new PostfixSessions(TimeProvider.System)), Options.Create(options),
            h.Metrics, new RecordingLogger<PostfixPolicyServer>());
        await server.StartAsync(default);
        try
        {
            // Two messages per connection for a probation sender: the third is deferred at RCPT.
            var first = await SendAsync(3);
            Assert.Equal([250, 250, 451], first.Select(r => r.Code));
            Assert.Contains("4.7.1", first[2].Text, StringComparison.Ordinal);
            Assert.Contains("Too many messages in this connection", first[2].Text, StringComparison.Ordinal);

            // End of data was reported: the two accepted messages are in the sender's profile.
            var profile = await h.Service.GetProfileAsync(new SenderProfileRequest { Subject = "127.0.0.1" }, default);
            Assert.Equal(2, profile.Statistics.Messages);
            Assert.Equal(SenderTier.Probation, profile.Tier);

            // Blocked by an administrator: refused at RCPT with 554 5.7.1; after a reset, accepted again.
            await h.Service.BlockSenderAsync(new BlockSenderRequest { Subject = "127.0.0.1", Actor = "test" }, default);
            var blocked = await SendAsync(1);
            await h.Service.ResetSenderAsync(new ResetSenderRequest { Subject = "127.0.0.1", Actor = "test" }, default);
            var again = await SendAsync(1);

            Assert.Equal(554, blocked[0].Code);
            Assert.Contains("5.7.1", blocked[0].Text, StringComparison.Ordinal);
            Assert.Contains("Access denied: 127.0.0.1 is blocked by local policy", blocked[0].Text,
                StringComparison.Ordinal);
            Assert.Equal(250, again[0].Code);
            Assert.True(h.Metrics.PostfixRequestCount("RCPT", "tempfail") >= 1);
            Assert.True(h.Metrics.PostfixRequestCount("END-OF-MESSAGE", "dunno") >= 3);
        }
        finally
        {
            await server.StopAsync(default);
        }
    }

    private async Task<List<SendResult>> SendAsync(int messages)
    {
        var start = new ProcessStartInfo("python3", $"- {_postfix.SmtpPort} {messages}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(SendScript);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"smtplib failed: {await error}\nmaillog:\n{_postfix.MailLog}");
        return JsonSerializer.Deserialize<List<SendResult>>(await output, new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
        })!;
    }

    private sealed record SendResult(int Code, string Text);
}
