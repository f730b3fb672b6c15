using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Gateway.Reliability.Tests.Harness;
using Gateway.Testing;

namespace Gateway.Reliability.Tests.Security;

/// <summary>
/// Issue 9, security, for the standalone process as an operator runs it (settings from the environment or a file):
/// the admin API refuses to start on a non-loopback address without a token, requires the token once one is set, and
/// secrets never appear in the logs or on /metrics.
/// </summary>
public sealed class AdminSecurityTests(ITestOutputHelper output)
{
    /// <summary>
    /// 192.0.2.1 (TEST-NET-1, RFC 5737) is not loopback and is not on this machine: the process must refuse at
    /// start-up, by validation, before anything listens. (Were validation missing, binding would fail with a different
    /// error, which the log check tells apart.)
    /// </summary>
    [Fact]
    public async Task AdminApi_NonLoopbackWithoutToken_RefusesToStartAndNothingListens()
    {
        var workDir = Settings.WorkDir("admin-bind");
        await using var gateway = new GatewayProcess(workDir);
        gateway.Set("Gateway__Admin__Listen", $"192.0.2.1:{gateway.AdminPort}");
        gateway.StartProcess();

        Assert.True(await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the gateway started anyway");
        Assert.NotEqual(0, gateway.ExitCode);
        var log = gateway.ReadLog();
        Figures.Print(output, "admin-bind", $"exit code {gateway.ExitCode}; " +
            log.Split('\n').FirstOrDefault(l => l.Contains("Gateway:Admin:Token", StringComparison.Ordinal))?.Trim());
        Assert.Contains("Gateway:Admin:Token or Gateway:Admin:TokenFile must be set", log);
        Assert.Equal(1, gateway.ExitCode); // a plain configuration error, not a crash (SIGABRT, 134)
        Assert.DoesNotContain("Unhandled exception", log);
        Assert.False(await ListensAsync(gateway.SmtpPort), "the SMTP listener opened although start-up failed");
        Directory.Delete(workDir, recursive: true);
    }

    [Fact]
    public async Task AdminApi_NonLoopbackWithTokenFileMissing_RefusesToStart()
    {
        var workDir = Settings.WorkDir("admin-file");
        await using var gateway = new GatewayProcess(workDir);
        gateway.Set("Gateway__Admin__Listen", $"192.0.2.1:{gateway.AdminPort}");
        gateway.Set("Gateway__Admin__TokenFile", Path.Combine(workDir, "no-such-token"));
        gateway.StartProcess();

        Assert.True(await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the gateway started anyway");
        Assert.NotEqual(0, gateway.ExitCode);
        var log = gateway.ReadLog();
        Assert.Contains("Gateway:Admin:TokenFile:", log);
        Assert.Contains("no-such-token", log);
        Directory.Delete(workDir, recursive: true);
    }

    [Theory]
    [InlineData("env")]
    [InlineData("file")]
    public async Task AdminApi_TokenConfigured_RequiredOnEveryApiCall(string source)
    {
        var workDir = Settings.WorkDir("admin-token");
        var token = "tok-" + Guid.NewGuid().ToString("N");
        await using var gateway = new GatewayProcess(workDir);
        if (source == "env")
        {
            gateway.Set("Gateway__Admin__Token", token);
        }
        else
        {
            var file = Path.Combine(workDir, "admin-token");
            await File.WriteAllTextAsync(file, token + "\n");
            gateway.Set("Gateway__Admin__TokenFile", file);
        }

        await gateway.StartAsync();
        using var http = gateway.AdminClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, "/api/v1/queue",
            "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, "/api/v1/queue", token
            + "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, "/api/v1/queue",
            token[..^1])).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Post, "/api/v1/report/spam",
            null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Post, "/api/v1/deliveries",
            null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "/api/v1/queue", token)).StatusCode);
        await gateway.StopAsync();
        Assert.DoesNotContain(token, gateway.ReadLog(), StringComparison.Ordinal);
        Directory.Delete(workDir, recursive: true);
    }

    /// <summary>
    /// The admin token and the IMAP master password (right and wrong) stay out of the logs, at Debug level, and out
    /// of /metrics, through a whole round: delivery over LMTP, a spam report with remediation over IMAP as master
    /// user, API calls with good and bad tokens.
    /// </summary>
    [RequiresFact(TestEnvironment.LmtpVariable, TestEnvironment.ImapVariable, TestEnvironment.MasterUserVariable,
        TestEnvironment.MasterPasswordVariable)]
    public async Task Secrets_ThroughAWholeRound_NeverInLogsOrMetrics()
    {
        var realPassword = TestEnvironment.Require(TestEnvironment.MasterPasswordVariable);
        var wrongPassword = "wrong-" + Guid.NewGuid().ToString("N");
        var token = "tok-" + Guid.NewGuid().ToString("N");
        var findings = new List<string>();
        foreach (var password in new[] { realPassword, wrongPassword })
        {
            var workDir = Settings.WorkDir("secrets");
            var passwordFile = Path.Combine(workDir, "imap-master-password");
            Directory.CreateDirectory(workDir);
            await File.WriteAllTextAsync(passwordFile, password + "\n");
            var (imapHost, imapPort) = TestEnvironment.HostPort(TestEnvironment.ImapVariable);
            var domain = $"sec{Guid.NewGuid():N}"[..12] + ".test";
            await using var gateway = new GatewayProcess(workDir, new Dictionary<string, string>
            {
                ["Logging__LogLevel__Default"] = "Debug",
                ["Logging__LogLevel__Microsoft"] = "Debug",
                ["Gateway__Domains__0"] = domain,
                ["Gateway__Admin__Token"] = token,
                ["Gateway__Delivery__Target"] = "lmtp://" + TestEnvironment.Require(TestEnvironment.LmtpVariable),
                ["Gateway__Remediation__Imap__Host"] = imapHost,
                ["Gateway__Remediation__Imap__Port"] =
                    imapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Gateway__Remediation__Imap__Security"] = "None",
                ["Gateway__Remediation__Imap__MasterUser"] =
                    TestEnvironment.Require(TestEnvironment.MasterUserVariable),
                ["Gateway__Remediation__Imap__MasterPasswordFile"] = passwordFile,
            });
            await gateway.StartAsync();

            var message =
                $"From: s@sender.test\r\nTo: ada@{domain}\r\nSubject: buy now\r\nMessage-ID: <{Guid.NewGuid():N}@s.test>\r\n\r\n"
                + "Cheap watches, limited offer, click the link below to claim your discount today only.\r\n";
            await using (var client = await SmtpLineClient.ConnectAsync(gateway.SmtpPort))
            {
                await client.ReadReplyAsync();
                await client.CommandAsync("EHLO sec.test");
                await client.CommandAsync("MAIL FROM:<s@sender.test>");
                Assert.Equal(250, (await client.CommandAsync($"RCPT TO:<ada@{domain}>")).Code);
                await client.CommandAsync("DATA");
                await client.SendAsync(SmtpLineClient.DataWireForm(System.Text.Encoding.ASCII.GetBytes(message)));
                Assert.Equal(250, (await client.ReadReplyAsync()).Code);
            }

            // Let the delivery happen, then report it: remediation logs into IMAP as the master user.
            var mail = TestEnvironment.Get(TestEnvironment.DovecotMailVariable);
            for (var i = 0; i < 100 && mail is not null && !Directory.Exists(Path.Combine(mail, domain, "ada",
                "new")); i++)
            {
                await Task.Delay(100);
            }

            using var http = gateway.AdminClient();
            var report = new HttpRequestMessage(HttpMethod.Post, "/api/v1/report/spam")
            {
                Content = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(message))
                {
                    Headers = { ContentType = new MediaTypeHeaderValue("message/rfc822") },
                },
            };
            report.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var reported = await http.SendAsync(report);
            await SendAsync(http, HttpMethod.Get, "/api/v1/queue", "not-" + token);
            await Task.Delay(3000); // remediation runs after the report returns
            var metricsResponse = await SendAsync(http, HttpMethod.Get, "/metrics", token);
            metricsResponse.EnsureSuccessStatusCode();
            var metrics = await metricsResponse.Content.ReadAsStringAsync();
            await gateway.StopAsync();
            var log = gateway.ReadLog();

            var label = password == realPassword ? "right" : "wrong";

            // The round really reached the IMAP store as master user (moved, or failed to log in).
            Assert.Matches("Copy \\S+ of queue \\S+ for ada@", log);
            Figures.Print(output, "secrets",
                $"{label} master password: report {(int)reported.StatusCode}, log {log.Length} chars " +
                $"({log.Split('\n').Length} lines), /metrics {metrics.Length} chars");
            foreach (var (name, secret) in new[] { ("admin token", token), ($"{label} IMAP master password",
                password) })
            {
                if (log.Contains(secret, StringComparison.Ordinal))
                {
                    findings.Add($"{name} in the log: " + log.Split('\n').First(l => l.Contains(secret,
                        StringComparison.Ordinal)));
                }

                if (metrics.Contains(secret, StringComparison.Ordinal))
                {
                    findings.Add($"{name} on /metrics");
                }
            }

            Directory.Delete(workDir, recursive: true);
        }

        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    /// <summary>
    /// /metrics lives on the admin listener. Once an operator sets a token (required off loopback), the metrics must
    /// not be readable without it either: they name client addresses, queue sizes and deliveries.
    /// </summary>
    [Fact]
    public async Task Metrics_TokenConfigured_RequireTheToken()
    {
        var workDir = Settings.WorkDir("admin-metrics");
        var token = "tok-" + Guid.NewGuid().ToString("N");
        await using var gateway = new GatewayProcess(workDir);
        gateway.Set("Gateway__Admin__Token", token);
        await gateway.StartAsync();
        using var http = gateway.AdminClient();

        var anonymous = await http.GetAsync("/metrics");
        var authorised = await SendAsync(http, HttpMethod.Get, "/metrics", token);
        await gateway.StopAsync();
        Figures.Print(output, "admin-metrics",
            $"/metrics without the token: {(int)anonymous.StatusCode}, with it: {(int)authorised.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Directory.Delete(workDir, recursive: true);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path,
        string? token)
    {
        var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            request.Content = new ByteArrayContent("Subject: x\r\n\r\nx\r\n"u8.ToArray());
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    private static async Task<bool> ListensAsync(int port)
    {
        try
        {
            using var tcp = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await tcp.ConnectAsync("127.0.0.1", port, cts.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
