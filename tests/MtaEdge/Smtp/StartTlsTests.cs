using System.Security.Authentication;
using Gateway.MtaEdge.Smtp;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>STARTTLS (RFC 3207): offered with a certificate, TLS 1.2 or newer, the session starts over.</summary>
public sealed class StartTlsTests : IDisposable
{
    private readonly Queue.Support.TempDirectory _directory = new();
    private readonly string _certificate;
    private readonly string _key;
    private readonly string _thumbprint;

    public StartTlsTests()
    {
        _certificate = Path.Combine(_directory.Path, "cert.pem");
        _key = Path.Combine(_directory.Path, "key.pem");
        _thumbprint = TestCertificate.Write(_certificate, _key);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task StartTls_Handshake_SessionStartsOverAndMailArrivesOverTls()
    {
        await using var server = await StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("220 2.0.0", (await client.CommandAsync("STARTTLS")).Status);
        await client.StartTlsAsync();

        Assert.Equal(_thumbprint, client.ServerCertificate!.Thumbprint);
        Assert.True(client.Tls!.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13);
        Assert.Equal("503 5.5.1", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        var ehlo = await client.CommandAsync("EHLO client.test");
        Assert.Equal(250, ehlo.Code);
        Assert.DoesNotContain("STARTTLS", ehlo.Lines);
        Assert.Equal("503 5.5.1", (await client.CommandAsync("STARTTLS")).Status);

        var reply = await client.SendMessageAsync("Subject: tls\r\n\r\nsecret\r\n.\r\n"u8.ToArray());

        Assert.Equal("250 2.0.0", reply.Status);
        var stored = server.Spool.Single();
        Assert.True(stored.Envelope.ReceivedOverTls);
        Assert.Contains("with ESMTPS id", stored.Text, StringComparison.Ordinal);
        Assert.Contains("(using TLSv1.", stored.Text, StringComparison.Ordinal);
        await client.QuitAsync();
    }

    [Fact]
    public async Task StartTls_PlaintextPipelinedAfterIt_DiscardedAndEhloRequired()
    {
        await using var server = await StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        // The injection of the shared cases README: one write, the MAIL must never run after the handshake.
        await client.SendAsync("STARTTLS\r\nMAIL FROM:<a@sender.test>\r\n");
        Assert.Equal("220 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.StartTlsAsync();

        Assert.Empty(await client.ReadAnyAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal("503 5.5.1", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal(250, (await client.CommandAsync("EHLO client.test")).Code);
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        await client.QuitAsync();
        Assert.Contains("SmtpPipelinedBeforeTls", server.Logger.Names);
    }

    [Fact]
    public async Task StartTls_Tls11Client_HandshakeFailsAndNothingElseHappens()
    {
        await using var server = await StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        Assert.Equal("220 2.0.0", (await client.CommandAsync("STARTTLS")).Status);

#pragma warning disable SYSLIB0039 // The point of the test: an obsolete protocol is refused.
        await Assert.ThrowsAnyAsync<Exception>(() => client.StartTlsAsync(SslProtocols.Tls11));
#pragma warning restore SYSLIB0039
        await Eventually.TrueAsync(() => server.Server.ActiveSessions == 0, "the session to end");
    }

    [Fact]
    public async Task StartTls_InTransactionOrWithArgumentOrBeforeEhlo_Refused()
    {
        await using var server = await StartAsync();
        await using var client = await server.ConnectAsync();
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        Assert.Equal("503 5.5.1", (await client.CommandAsync("STARTTLS")).Status);
        Assert.Equal(250, (await client.CommandAsync("EHLO client.test")).Code);
        Assert.Equal("501 5.5.4", (await client.CommandAsync("STARTTLS now")).Status);
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);

        Assert.Equal("503 5.5.1", (await client.CommandAsync("STARTTLS")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task StartTls_NoCertificate_NotOfferedAnd502()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAsync();
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);

        var ehlo = await client.CommandAsync("EHLO client.test");

        Assert.DoesNotContain("STARTTLS", ehlo.Lines);
        Assert.Equal("502 5.5.1", (await client.CommandAsync("STARTTLS")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Certificate_FilesReplaced_NextHandshakeUsesTheNewOne()
    {
        await using var server = await StartAsync();
        var renewed = TestCertificate.Write(_certificate, _key);
        Assert.NotEqual(_thumbprint, renewed);

        await using var client = await server.ConnectAndHelloAsync();
        Assert.Equal("220 2.0.0", (await client.CommandAsync("STARTTLS")).Status);
        await client.StartTlsAsync();

        Assert.Equal(renewed, client.ServerCertificate!.Thumbprint);
        Assert.Contains("TlsCertificateReloaded", server.Logger.Names);
    }

    [Fact]
    public async Task Certificate_RenewalUnreadable_OldOneStaysInUse()
    {
        await using var server = await StartAsync();
        await File.WriteAllTextAsync(_key, "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");

        await using var client = await server.ConnectAndHelloAsync();
        Assert.Equal("220 2.0.0", (await client.CommandAsync("STARTTLS")).Status);
        await client.StartTlsAsync();

        Assert.Equal(_thumbprint, client.ServerCertificate!.Thumbprint);
        Assert.Contains("TlsCertificateReloadFailed", server.Logger.Names);
    }

    [Fact]
    public void Server_UnreadableCertificate_FailsToStartNamingTheFile()
    {
        File.WriteAllText(_certificate, "not a certificate");
        var options = new SmtpOptions { Listen = "127.0.0.1:0", TlsCertificateFile = _certificate, TlsKeyFile = _key };

        var error = Assert.Throws<InvalidOperationException>(() => TestSmtpServer.Create(options));

        Assert.Contains(_certificate, error.Message, StringComparison.Ordinal);
    }

    private Task<TestSmtpServer> StartAsync() => TestSmtpServer.StartAsync(o =>
    {
        o.TlsCertificateFile = _certificate;
        o.TlsKeyFile = _key;
        o.TlsReloadInterval = TimeSpan.Zero;
    });
}
