using System.Text;
using Gateway.MtaEdge.Tests.Interop.Support;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Gateway.Testing;
using Xunit;

namespace Gateway.MtaEdge.Tests.Interop;

/// <summary>
/// Real SMTP clients against the whole edge, and real next hops behind it: swaks and Python's
/// smtplib over STARTTLS into Dovecot by LMTP, Postfix's smtp-source in parallel sessions into
/// Postfix's smtp-sink by SMTP. Every program is started by the test on 127.0.0.1.
/// </summary>
public sealed class RealClientInteropTests : IDisposable
{
    private static readonly TimeSpan ProgramTimeout = TimeSpan.FromSeconds(60);

    private readonly Queue.Support.TempDirectory _tls = new();
    private readonly string _certificate;
    private readonly string _key;

    public RealClientInteropTests()
    {
        _certificate = Path.Combine(_tls.Path, "cert.pem");
        _key = Path.Combine(_tls.Path, "key.pem");
        TestCertificate.Write(_certificate, _key);
    }

    public void Dispose() => _tls.Dispose();

    [RequiresFact(InteropEnvironment.Swaks, TestEnvironment.LmtpVariable, TestEnvironment.DovecotMailVariable)]
    public async Task Swaks_StartTlsPipelining_DeliveredToDovecotByLmtp()
    {
        await using var edge = await EdgeHost.StartAsync(WithTls(new()
        {
            ["Gateway:Delivery:Target"] = "lmtp://" + TestEnvironment.Require(TestEnvironment.LmtpVariable),
        }));
        var local = "swaks-" + Guid.NewGuid().ToString("N")[..12];

        var (exit, output) = await ExternalProcess.RunAsync(TestEnvironment.Require(InteropEnvironment.Swaks), [
            "--server", $"127.0.0.1:{edge.EndPoint.Port}", "--ehlo", "client.test",
            "--from", "sender@sender.test", "--to", $"{local}@example.test",
            "--tls", "--pipeline", "--header", "Subject: swaks interop", "--body", "hello from swaks",
        ], ProgramTimeout);

        Assert.True(exit == 0, output);
        Assert.Contains("<~  250 2.0.0 Ok: queued as", output);
        var text = await DovecotCopyAsync(local);
        Assert.Contains("Subject: swaks interop", text);
        Assert.Contains("with ESMTPS id", text);
        Assert.Contains("hello from swaks", text);
    }

    [RequiresFact(InteropEnvironment.Swaks)]
    public async Task Swaks_RelayAttemptAndBareLfData_RefusedWithEnhancedCodes()
    {
        await using var edge = await EdgeHost.StartAsync(new() { ["Gateway:Delivery:Target"] = "" });
        var swaks = TestEnvironment.Require(InteropEnvironment.Swaks);

        var (relayExit, relay) = await ExternalProcess.RunAsync(swaks, [
            "--server", $"127.0.0.1:{edge.EndPoint.Port}", "--from", "a@sender.test",
            "--to", "victim@elsewhere.test", "--quit-after", "RCPT",
        ], ProgramTimeout);
        var (dataExit, data) = await ExternalProcess.RunAsync(swaks, [
            "--server", $"127.0.0.1:{edge.EndPoint.Port}", "--from", "a@sender.test",
            "--to", "user@example.test", "--no-data-fixup",
            "--data", "Subject: x\r\n\r\nbare\n.\nMAIL FROM:<b@sender.test>\n\r\n.\r\n",
        ], ProgramTimeout);

        Assert.NotEqual(0, relayExit);
        Assert.Contains("<** 550 5.7.1 Relay access denied", relay);
        Assert.NotEqual(0, dataExit);
        Assert.Contains("<** 550 5.6.0", data);
        Assert.Empty(edge.Spool.Messages);
    }

    [RequiresFact(InteropEnvironment.SmtpSource, InteropEnvironment.SmtpSink)]
    public async Task SmtpSource_ParallelSessions_AllRelayedToSmtpSink()
    {
        await using var sink = await SmtpSink.StartAsync(TestEnvironment.Require(InteropEnvironment.SmtpSink));
        await using var edge = await EdgeHost.StartAsync(new()
        {
            ["Gateway:Delivery:Target"] = $"smtp://127.0.0.1:{sink.Port}",
            ["Gateway:Delivery:Concurrency"] = "8",
        });
        const int messages = 200;

        var (exit, output) = await ExternalProcess.RunAsync(TestEnvironment.Require(InteropEnvironment.SmtpSource), [
            "-s", "8", "-m", messages.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", "4096",
            "-f", "bench@sender.test", "-t", "rcpt@example.test", "-M", "client.test",
            $"127.0.0.1:{edge.EndPoint.Port}",
        ], ProgramTimeout);

        Assert.True(exit == 0, output);
        Assert.True(await Eventually(() => sink.Messages >= messages && edge.Spool.Messages.Count == 0),
            $"sink counted {sink.Messages}, {edge.Spool.Messages.Count} still queued; sink: {sink.Output}");
        Assert.Equal(messages, sink.Messages);
        var dump = sink.Dumps()[0];
        Assert.Contains("Received: from client.test ([127.0.0.1])", dump);
    }

    [RequiresFact(InteropEnvironment.SmtpSink)]
    public async Task RawUtf8Subject_WithoutSmtpUtf8_RelayedToSmtpSinkWithoutIt()
    {
        await using var sink = await SmtpSink.StartAsync(TestEnvironment.Require(InteropEnvironment.SmtpSink), "-v");
        await using var edge = await EdgeHost.StartAsync(new()
        {
            ["Gateway:Delivery:Target"] = $"smtp://127.0.0.1:{sink.Port}",
        });
        await using (var client = await RawSmtpClient.ConnectAndHelloAsync(edge.EndPoint))
        {
            var reply = await client.SendMessageAsync("Subject: Gr\u00fc\u00dfe\r\n\r\nhello\r\n.\r\n"u8.ToArray());
            Assert.Equal("250 2.0.0", reply.Status);
            await client.QuitAsync();
        }

        Assert.True(await Eventually(() => sink.Messages == 1 && edge.Spool.Messages.Count == 0), sink.Output);
        Assert.Contains("Subject: Gr\u00fc\u00dfe", sink.Dumps()[0]);
        var mail = sink.Output.Split('\n').FirstOrDefault(l => l.Contains("MAIL FROM")) ?? "";
        Assert.DoesNotContain("SMTPUTF8", mail);
    }

    [RequiresFact(InteropEnvironment.SmtpSink)]
    public async Task Utf8Address_NextHopWithoutSmtpUtf8_BouncedNeverSent()
    {
        await using var sink = await SmtpSink.StartAsync(TestEnvironment.Require(InteropEnvironment.SmtpSink));
        await using var edge = await EdgeHost.StartAsync(new()
        {
            ["Gateway:Delivery:Target"] = $"smtp://127.0.0.1:{sink.Port}",
        });
        await using (var client = await RawSmtpClient.ConnectAndHelloAsync(edge.EndPoint))
        {
            Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<ann@example.test> SMTPUTF8")).Status);
            Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<j\u00f6rg@example.test>")).Status);
            Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
            Assert.Equal("250 2.0.0", (await client.CommandAsync("Subject: utf8\r\n\r\nbody\r\n.")).Status);
            await client.QuitAsync();
        }

        // The original cannot go to a hop without SMTPUTF8; the (ASCII) report to ann can.
        Assert.True(await Eventually(() => sink.Messages == 1 && edge.Spool.Messages.Count == 0), edge.Log.ToString());
        var report = sink.Dumps()[0];
        Assert.Contains("Status: 5.6.7", report);
        Assert.Contains("does not support SMTPUTF8", report);
    }

    [RequiresFact(InteropEnvironment.Python, TestEnvironment.LmtpVariable, TestEnvironment.DovecotMailVariable)]
    public async Task PythonSmtplib_StartTlsEightBitHeaderAndDsn_DeliveredToDovecot()
    {
        await using var edge = await EdgeHost.StartAsync(WithTls(new()
        {
            ["Gateway:Delivery:Target"] = "lmtp://" + TestEnvironment.Require(TestEnvironment.LmtpVariable),
        }));
        var local = "py-" + Guid.NewGuid().ToString("N")[..12];

        // Raw UTF-8 in Subject without SMTPUTF8 (the "8-bit headers" case of the shared README).
        var (exit, output) = await PythonAsync(edge, $$"""
            message = ("From: <ann@sender.test>\r\nTo: <{{local}}@example.test>\r\n"
                       "Subject: Gr\u00fc\u00dfe\r\n\r\nbody\r\n")
            refused = s.sendmail("ann@sender.test", ["{{local}}@example.test"], message.encode("utf-8"),
                                 mail_options=["BODY=8BITMIME", "RET=HDRS", "ENVID=py1"],
                                 rcpt_options=["NOTIFY=FAILURE,DELAY", "ORCPT=rfc822;{{local}}@example.test"])
            """);

        Assert.True(exit == 0, output);
        var text = await DovecotCopyAsync(local);
        Assert.Contains("with ESMTPS id", text);
        Assert.Contains("Subject: Gr\u00fc\u00dfe", text);
    }

    [RequiresFact(InteropEnvironment.Python)]
    public async Task PythonSmtplib_SmtpUtf8Addresses_DeliveredToMaildir()
    {
        await using var edge = await EdgeHost.StartAsync(WithTls(new() { ["Gateway:Delivery:Target"] = "" }));

        var (exit, output) = await PythonAsync(edge, """
            message = ("From: <j\u00f6rg@sender.test>\r\nTo: <\u00fcnal@example.test>\r\n"
                       "Subject: Gr\u00fc\u00dfe\r\n\r\nbody\r\n")
            refused = s.sendmail("j\u00f6rg@sender.test", ["\u00fcnal@example.test"], message.encode("utf-8"),
                                 mail_options=["SMTPUTF8", "BODY=8BITMIME"])
            """);

        Assert.True(exit == 0, output);
        var folder = Path.Combine(edge.DataDir, "mail", "example.test", "\u00fcnal", "new");
        Assert.True(await Eventually(() => Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any()),
            edge.Log.ToString());
        var text = await File.ReadAllTextAsync(Directory.EnumerateFiles(folder).Single());
        Assert.Contains("with UTF8SMTPS id", text);
        Assert.Contains("Return-Path: <j\u00f6rg@sender.test>", text);
    }

    /// <summary>
    /// Runs Python's smtplib against the edge: STARTTLS (certificate not checked), EHLO, then
    /// <paramref name="send"/>.
    /// </summary>
    private static Task<(int ExitCode, string Output)> PythonAsync(EdgeHost edge, string send)
    {
        var indented = string.Join("\n", send.Split('\n').Select(line => "    " + line));
        var script = $$"""
            import smtplib, ssl
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            with smtplib.SMTP("127.0.0.1", {{edge.EndPoint.Port}}, local_hostname="client.test", timeout=30) as s:
                s.starttls(context=context)
                s.ehlo("client.test")
                assert s.has_extn("smtputf8") and s.has_extn("dsn") and s.has_extn("chunking"), s.esmtp_features
            {{indented}}
                assert not refused, refused
            print("sent")
            """;
        return ExternalProcess.RunAsync(
            TestEnvironment.Require(InteropEnvironment.Python), ["-"], ProgramTimeout, script);
    }

    private Dictionary<string, string?> WithTls(Dictionary<string, string?> settings)
    {
        settings["Gateway:Smtp:TlsCertificateFile"] = _certificate;
        settings["Gateway:Smtp:TlsKeyFile"] = _key;
        return settings;
    }

    /// <summary>The one copy Dovecot stored for local@example.test (its Maildir new/ folder).</summary>
    private static async Task<string> DovecotCopyAsync(string local)
    {
        var folder = Path.Combine(
            TestEnvironment.Require(TestEnvironment.DovecotMailVariable), "example.test", local, "new");
        Assert.True(await Eventually(() => Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any()),
            $"nothing delivered into {folder}");
        return Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Directory.EnumerateFiles(folder).Single()));
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }
}
