using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Gateway.Reliability.Tests.Harness;

namespace Gateway.Reliability.Tests.Security;

/// <summary>
/// Issue 9, "TLS settings follow current guidance (TLS 1.2+, no weak suites)": the standalone gateway's STARTTLS
/// (the only TLS listener it has: the admin API and the Postfix policy service are plaintext on loopback) is probed
/// with <c>openssl s_client</c>, a client independent of .NET. The client is run at OpenSSL security level 0 so that
/// it really offers what it is asked to; a case counts only when the client sent its hello (bytes written), so a
/// refusal is the server's. An RSA certificate is used so that RSA-authenticated suites are on the table at all.
/// OpenSSL 3 at its default security level already refuses TLS 1.0/1.1 and some of these suites by itself, so the
/// gateway runs with an OpenSSL configuration that allows everything (<see cref="PermissiveOpenSslConfig"/>): what is
/// refused then is refused by the gateway's own settings, as on a system whose OpenSSL is configured more loosely.
/// </summary>
public sealed partial class StartTlsSettingsTests(ITestOutputHelper output)
{
    /// <summary>What the edge must refuse over TLS 1.2, as OpenSSL cipher strings.</summary>
    private static readonly (string What, string Ciphers)[] WeakSuites =
    [
        ("RC4", "RC4"),
        ("3DES", "3DES"),
        ("NULL encryption", "eNULL"),
        ("EXPORT", "EXP"),
        ("anonymous (no authentication)", "aNULL"),
        ("CBC with SHA-1", "SHA1+AES:SHA1+CAMELLIA:SHA1+ARIA:SHA1+SEED"),
        ("CBC with SHA-2", "AES+SHA256:AES+SHA384:CAMELLIA+SHA256:CAMELLIA+SHA384"),
        ("static RSA key exchange (no forward secrecy)", "kRSA"),
    ];

    /// <summary>OpenSSL's system defaults opened up to TLS 1.0 and security level 0 (every suite it still has).</summary>
    private const string PermissiveOpenSslConfig = """
        openssl_conf = openssl_init
        [openssl_init]
        ssl_conf = ssl_sect
        [ssl_sect]
        system_default = system_default_sect
        [system_default_sect]
        MinProtocol = TLSv1
        CipherString = DEFAULT:@SECLEVEL=0

        """;

    [Fact]
    public async Task EdgeStartTls_ProbedWithOpenSsl_OnlyTls12And13WithStrongSuites()
    {
        var workDir = Settings.WorkDir("starttls");
        var certificate = Path.Combine(workDir, "cert.pem");
        var key = Path.Combine(workDir, "key.pem");
        Directory.CreateDirectory(workDir);
        WriteRsaCertificate(certificate, key);
        var openSslConfig = Path.Combine(workDir, "openssl.cnf");
        File.WriteAllText(openSslConfig, PermissiveOpenSslConfig);
        await using var gateway = new GatewayProcess(workDir, new Dictionary<string, string>
        {
            ["Gateway__Smtp__TlsCertificateFile"] = certificate,
            ["Gateway__Smtp__TlsKeyFile"] = key,
            ["OPENSSL_CONF"] = openSslConfig,
        });
        await gateway.StartAsync();
        var port = gateway.SmtpPort;
        var problems = new List<string>();

        // Protocol versions: 1.0 and 1.1 refused, 1.2 and 1.3 accepted.
        foreach (var (flag, accept) in new[] { ("-tls1", false), ("-tls1_1", false), ("-tls1_2", true),
                     ("-tls1_3", true) })
        {
            var cipherArgs = flag == "-tls1_3" ? Array.Empty<string>() : ["-cipher", "DEFAULT:@SECLEVEL=0"];
            var result = await HandshakeAsync(port, [flag, .. cipherArgs]);
            Figures.Print(output, "starttls", $"{flag,-8} -> {result}");
            if (result.BytesWritten == 0)
            {
                problems.Add($"{flag}: the client sent nothing, so the case proves nothing: {result.Error}");
            }
            else if (result.Succeeded != accept)
            {
                problems.Add($"{flag}: expected {(accept ? "a handshake" : "a refusal")}, got {result}");
            }
        }

        // Weak suites over TLS 1.2: each offered alone (those this OpenSSL build can still offer) and refused.
        var tested = 0;
        foreach (var (what, ciphers) in WeakSuites)
        {
            var offerable = await OfferableAsync(ciphers + ":@SECLEVEL=0");
            if (offerable.Count == 0)
            {
                Figures.Print(output, "starttls", $"{what}: this OpenSSL cannot offer it any more (not testable)");
                continue;
            }

            tested++;
            var result = await HandshakeAsync(port, ["-tls1_2", "-cipher", ciphers + ":@SECLEVEL=0"]);
            Figures.Print(output, "starttls", $"{what} ({offerable.Count} suites offered) -> {result}");
            if (result.BytesWritten == 0 || result.Succeeded)
            {
                problems.Add($"{what}: expected the server to refuse, got {result}");
            }
        }

        // What a default modern client gets.
        var modern = await HandshakeAsync(port, ["-tls1_2"]);
        Figures.Print(output, "starttls", $"default TLS 1.2 client -> {modern}");
        if (!modern.Succeeded || !modern.Cipher.Contains("GCM", StringComparison.Ordinal)
            && !modern.Cipher.Contains("CHACHA20", StringComparison.Ordinal))
        {
            problems.Add($"a default TLS 1.2 client should get an AEAD suite with forward secrecy: {modern}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(tested >= 4, $"only {tested} weak suite families could be offered by this OpenSSL");
        await gateway.StopAsync();
        Directory.Delete(workDir, recursive: true);
    }

    private static void WriteRsaCertificate(string certificateFile, string keyFile)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=gw.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("gw.test");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1),
            DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyFile, rsa.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>The suites OpenSSL would put in a TLS 1.2 hello for <paramref name="ciphers"/>.</summary>
    private static async Task<List<string>> OfferableAsync(string ciphers)
    {
        var (exit, stdout, _) = await RunOpenSslAsync(["ciphers", "-s", "-tls1_2", ciphers]);
        return exit == 0
            ? stdout.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()
            : [];
    }

    private static async Task<Handshake> HandshakeAsync(int port, string[] options)
    {
        string[] args =
        [
            "s_client", "-connect", $"127.0.0.1:{port}", "-starttls", "smtp", "-name", "client.test",
            "-servername", "gw.test", .. options,
        ];
        var (_, stdout, stderr) = await RunOpenSslAsync(args);
        var session = SessionLine().Match(stdout);
        var written = WrittenLine().Match(stdout);
        var protocol = session.Success ? session.Groups[1].Value : "(NONE)";
        var cipher = session.Success ? session.Groups[2].Value : "(NONE)";
        var alert = AlertText().Match(stderr);
        var error = alert.Success ? alert.Value : stderr.Split('\n').FirstOrDefault(l => l.Contains("error",
            StringComparison.Ordinal)) ?? "";
        return new Handshake(protocol, cipher, written.Success ? long.Parse(written.Groups[1].Value) : 0,
            error.Trim());
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunOpenSslAsync(string[] args)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;

        // No input: s_client completes the handshake, sees end of input and closes the session.
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException("openssl " + string.Join(' ', args) + " did not finish within 60 s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"^New, (\S+), Cipher is (\S+)", RegexOptions.Multiline)]
    private static partial Regex SessionLine();

    [GeneratedRegex(@"alert [a-z ]+|no cipher match|no protocols available")]
    private static partial Regex AlertText();

    [GeneratedRegex(@"written (\d+) bytes")]
    private static partial Regex WrittenLine();

    private sealed record Handshake(string Protocol, string Cipher, long BytesWritten, string Error)
    {
        public bool Succeeded => Protocol != "(NONE)" && Cipher != "(NONE)" && Cipher != "0000";

        public override string ToString() => Succeeded
            ? $"{Protocol} {Cipher}"
            : $"refused after {BytesWritten} bytes written ({(Error.Length > 0 ? Error : "no error text")})";
    }
}
