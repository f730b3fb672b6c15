using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Gateway.MtaEdge.Delivery.Transfer;
using Gateway.MtaEdge.Tests.Queue.Support;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

/// <summary>
/// Issue 9, TLS settings, the client side: the STARTTLS of SMTP and LMTP delivery
/// (<see cref="MailTransferConnection"/>) must not agree to anything below TLS 1.2. The next hop is <c>openssl s_server</c> limited to one protocol version
/// (at OpenSSL security level 0, so that it really speaks TLS 1.0 or 1.1), behind a small relay that plays the SMTP
/// greeting and the 220 to STARTTLS in plaintext and then passes the bytes through. Only SMTP delivery uses STARTTLS;
/// LMTP (RFC 2033, to a local store) runs in plaintext. Note: OpenSSL 3 at its default security level refuses TLS
/// 1.0/1.1 in this test process by itself; the test shows the client's own minimum only where the system's OpenSSL
/// allows them (checked with OPENSSL_CONF set to a configuration with MinProtocol TLSv1 and SECLEVEL=0: a client
/// enabling TLS 1.0/1.1 then fails the two refusal cases, the real one passes all four).
/// </summary>
public sealed class TransferStartTlsVersionTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _certificate;
    private readonly string _key;

    public TransferStartTlsVersionTests()
    {
        _certificate = Path.Combine(_directory.Path, "cert.pem");
        _key = Path.Combine(_directory.Path, "key.pem");
        TestCertificate.Write(_certificate, _key, "hop.test");
    }

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("-tls1", null)]
    [InlineData("-tls1_1", null)]
    [InlineData("-tls1_2", "Tls12")]
    [InlineData("-tls1_3", "Tls13")]
    public async Task StartTls_NextHopSpeaksOneVersion_OnlyTls12AndNewerAgreed(string version, string? expected)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var serverPort = FreePort();
        using var server = StartServer(version, serverPort);
        try
        {
            await HandshakeThroughRelayAsync(version, expected, serverPort, server, cancel.Token);
        }
        finally
        {
            // Ours, by its process id; -naccept 1 normally ends it after the one connection.
            if (!server.HasExited)
            {
                server.Kill();
            }
        }
    }

    private static async Task HandshakeThroughRelayAsync(
        string version, string? expected, int serverPort, Process server, CancellationToken cancellationToken)
    {
        await WaitListeningAsync(serverPort, server, cancellationToken);
        using var relay = new TcpListener(IPAddress.Loopback, 0);
        relay.Start();
        var relayed = RelayOnceAsync(relay, serverPort, cancellationToken);

        var relayPort = ((IPEndPoint)relay.LocalEndpoint).Port;
        await using var connection = await MailTransferConnection.ConnectAsync(
            "127.0.0.1", relayPort, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), cancellationToken);
        Assert.Equal(220, (await connection.ReadReplyAsync(cancellationToken)).Code);
        Assert.Equal(220, (await connection.CommandAsync("STARTTLS", cancellationToken)).Code);
        Exception? failure = null;
        try
        {
            await connection.StartTlsAsync("hop.test", cancellationToken);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            failure = ex;
        }

        if (expected is null)
        {
            Assert.True(failure is not null, $"{version}: the client agreed to {connection.TlsDescription}");
        }
        else
        {
            Assert.True(failure is null, $"{version}: {failure}");
            Assert.StartsWith(expected, connection.TlsDescription, StringComparison.Ordinal);
        }

        await connection.DisposeAsync();
        await relayed.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private Process StartServer(string version, int port)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "s_server", "-accept", $"127.0.0.1:{port}", "-cert", _certificate, "-key", _key, "-naccept", "1",
            "-quiet", version,
        ];
        foreach (var arg in args.Concat(version == "-tls1_3" ? [] : ["-cipher", "DEFAULT:@SECLEVEL=0"]))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitListeningAsync(int port, Process server, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            Assert.False(server.HasExited, "openssl s_server exited before listening");

            // A probe connection would use up -naccept 1: only look whether the port is bound.
            if (ListeningPorts().Contains(port))
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }

        Assert.Fail($"openssl s_server did not listen on port {port}");
    }

    private static HashSet<int> ListeningPorts() =>
        System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners()
            .Select(e => e.Port).ToHashSet();

    /// <summary>Plays the SMTP greeting and the STARTTLS reply, then joins the client to the TLS server.</summary>
    private static async Task RelayOnceAsync(TcpListener relay, int serverPort, CancellationToken cancellationToken)
    {
        using var client = await relay.AcceptTcpClientAsync(cancellationToken);
        var clientStream = client.GetStream();
        await clientStream.WriteAsync("220 hop.test ESMTP\r\n"u8.ToArray(), cancellationToken);
        var line = new StringBuilder();
        var one = new byte[1];
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal) && line.Length < 100)
        {
            if (await clientStream.ReadAsync(one, cancellationToken) == 0)
            {
                return;
            }

            line.Append((char)one[0]);
        }

        await clientStream.WriteAsync("220 2.0.0 Ready to start TLS\r\n"u8.ToArray(), cancellationToken);
        using var server = new TcpClient();
        await server.ConnectAsync(IPAddress.Loopback, serverPort, cancellationToken);
        var serverStream = server.GetStream();
        var up = PumpAsync(clientStream, serverStream, server.Client, cancellationToken);
        var down = PumpAsync(serverStream, clientStream, client.Client, cancellationToken);
        await Task.WhenAny(up, down);
    }

    private static async Task PumpAsync(Stream from, Stream to, Socket toSocket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException
            or OperationCanceledException)
        {
            // One side closed or reset: the handshake outcome is what the test looks at.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
