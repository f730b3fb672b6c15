using System.Diagnostics;

namespace Gateway.Cluster.Tests.Support;

/// <summary>
/// A private CA with a server certificate for 127.0.0.1 and a client certificate, plus a client certificate
/// from an unrelated CA; made with openssl in a temporary folder (P-256 keys, valid one day).
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string dir) => Directory = dir;

    public string Directory { get; }

    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string ServerCertificateFile => Path.Combine(Directory, "server.crt");

    public string ServerKeyFile => Path.Combine(Directory, "server.key");

    public string ClientCertificateFile => Path.Combine(Directory, "client.crt");

    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    public string StrangerCertificateFile => Path.Combine(Directory, "stranger.crt");

    public string StrangerKeyFile => Path.Combine(Directory, "stranger.key");

    public static async Task<TestCertificates> CreateAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gw-certs-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var certificates = new TestCertificates(dir);
        await certificates.MakeCaAsync("ca");
        await certificates.MakeCaAsync("other-ca");
        await certificates.MakeLeafAsync("server", "ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        await certificates.MakeLeafAsync("client", "ca", "extendedKeyUsage=clientAuth\n");
        await certificates.MakeLeafAsync("stranger", "other-ca", "extendedKeyUsage=clientAuth\n");
        return certificates;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private Task MakeCaAsync(string name) => OpenSslAsync("req", "-x509", "-newkey", "ec",
        "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", $"{name}.key", "-out", $"{name}.crt",
        "-days", "1", "-subj", $"/CN=gateway test {name}",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

    private async Task MakeLeafAsync(string name, string ca, string extensions)
    {
        await File.WriteAllTextAsync(Path.Combine(Directory, $"{name}.ext"),
            "basicConstraints=CA:FALSE\n" + extensions);
        await OpenSslAsync("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", $"{name}.key", "-out", $"{name}.csr", "-subj", $"/CN=gateway test {name}");
        await OpenSslAsync("x509", "-req", "-in", $"{name}.csr", "-CA", $"{ca}.crt", "-CAkey", $"{ca}.key",
            "-CAcreateserial", "-days", "1", "-out", $"{name}.crt", "-extfile", $"{name}.ext");
    }

    private async Task OpenSslAsync(params string[] args)
    {
        var start = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {await stderr}");
        }
    }
}
