using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Smtp.Tls;

/// <summary>
/// The STARTTLS server certificate, read from PEM files and read again when they change, so a
/// renewed certificate (e.g. from an ACME client) takes effect without a restart. The files are
/// looked at no more than once per <c>reloadInterval</c>, at a handshake; a renewal that cannot be
/// read is logged and the previous certificate stays in use.
/// </summary>
public sealed class TlsCertificateProvider
{
    private readonly string _certificateFile;
    private readonly string _keyFile;
    private readonly TimeSpan _reloadInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Loaded _current;
    private DateTimeOffset _lastCheck;

    /// <exception cref="InvalidOperationException">The files cannot be read as a certificate and key.</exception>
    public TlsCertificateProvider(
        string certificateFile, string keyFile, TimeSpan reloadInterval, ILogger logger, TimeProvider? time = null)
    {
        _certificateFile = Path.GetFullPath(certificateFile);
        _keyFile = Path.GetFullPath(keyFile);
        _reloadInterval = reloadInterval;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _current = Load();
        _lastCheck = _time.GetUtcNow();
        TlsLog.CertificateLoaded(_logger, _certificateFile, _current.Subject, _current.NotAfter);
    }

    /// <summary>Subject of the certificate in use.</summary>
    public string Subject => Volatile.Read(ref _current).Subject;

    /// <summary>
    /// Server options for one handshake: the current certificate, TLS 1.2 or newer with forward-secret AEAD
    /// suites only (<see cref="TlsCipherSuites"/>), no client certificate, no renegotiation.
    /// </summary>
    public SslServerAuthenticationOptions CreateServerOptions() => new()
    {
        ServerCertificateContext = Current(),
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CipherSuitesPolicy = TlsCipherSuites.ServerPolicy,
        ClientCertificateRequired = false,
        AllowRenegotiation = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        EncryptionPolicy = EncryptionPolicy.RequireEncryption,
    };

    private SslStreamCertificateContext Current()
    {
        var now = _time.GetUtcNow();
        if (now - _lastCheck < _reloadInterval)
        {
            return Volatile.Read(ref _current).Context;
        }

        lock (_gate)
        {
            if (now - _lastCheck < _reloadInterval)
            {
                return _current.Context;
            }

            _lastCheck = now;
            var stamp = Stamp();
            if (stamp == _current.Stamp)
            {
                return _current.Context;
            }

            try
            {
                var loaded = Load();
                Volatile.Write(ref _current, loaded);
                TlsLog.CertificateReloaded(_logger, _certificateFile, loaded.Subject, loaded.NotAfter);
            }
            catch (Exception ex) when (ex is InvalidOperationException)
            {
                // Likely caught half-way through a renewal: keep serving the old one, look again later.
                TlsLog.CertificateReloadFailed(_logger, ex, _certificateFile);
            }

            return _current.Context;
        }
    }

    private string Stamp()
    {
        try
        {
            var certificate = new FileInfo(_certificateFile);
            var key = new FileInfo(_keyFile);
            return $"{certificate.LastWriteTimeUtc.Ticks}:{certificate.Length}:"
                + $"{key.LastWriteTimeUtc.Ticks}:{key.Length}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private Loaded Load()
    {
        var stamp = Stamp();
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(_certificateFile, _keyFile);

            // A key created from PEM lives only in memory; a PKCS#12 round trip gives SslStream a key it
            // can use on every platform.
            var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(_certificateFile);
            var intermediates = new X509Certificate2Collection();
            foreach (var extra in chain)
            {
                if (extra.Thumbprint != certificate.Thumbprint)
                {
                    intermediates.Add(extra);
                }
            }

            var context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
            return new Loaded(context, certificate.Subject, certificate.NotAfter, stamp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException
                                       or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"cannot read the TLS certificate '{_certificateFile}' with key '{_keyFile}': {ex.Message}", ex);
        }
    }

    private sealed record Loaded(SslStreamCertificateContext Context, string Subject, DateTime NotAfter, string Stamp);
}
