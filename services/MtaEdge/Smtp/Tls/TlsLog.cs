using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Smtp.Tls;

/// <summary>Log events of the STARTTLS certificate (event ids 130-139).</summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventId = 130, EventName = "TlsCertificateLoaded", Level = LogLevel.Information,
        Message = "TLS certificate {File} loaded: {Subject}, valid until {NotAfter:O}")]
    public static partial void CertificateLoaded(ILogger logger, string file, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 131, EventName = "TlsCertificateReloaded", Level = LogLevel.Information,
        Message = "TLS certificate {File} changed and was reloaded: {Subject}, valid until {NotAfter:O}")]
    public static partial void CertificateReloaded(ILogger logger, string file, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 132, EventName = "TlsCertificateReloadFailed", Level = LogLevel.Error,
        Message = "TLS certificate {File} changed but cannot be read; the previous certificate stays in use")]
    public static partial void CertificateReloadFailed(ILogger logger, Exception exception, string file);
}
