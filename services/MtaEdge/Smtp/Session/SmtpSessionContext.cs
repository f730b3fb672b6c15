using Gateway.Contracts;
using Gateway.MtaEdge.Smtp.Addressing;
using Gateway.MtaEdge.Smtp.Message;
using Gateway.MtaEdge.Smtp.Proxy;
using Gateway.MtaEdge.Smtp.Tls;
using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Smtp.Session;

/// <summary>What every session of one server shares: settings, collaborators and the stop signals.</summary>
internal sealed class SmtpSessionContext
{
    public required SmtpOptions Options { get; init; }

    /// <summary>The name this gateway gives itself (greeting, EHLO, Received:).</summary>
    public required string Host { get; init; }

    public required RecipientPolicy RecipientPolicy { get; init; }

    public required ISenderIntelligence SenderIntelligence { get; init; }

    public required MessageIntake Intake { get; init; }

    public required ILogger Logger { get; init; }

    /// <summary>The STARTTLS certificate; null when no certificate is configured (STARTTLS not offered).</summary>
    public TlsCertificateProvider? Tls { get; init; }

    /// <summary>Who may send a PROXY header on the proxy listener.</summary>
    public required TrustedNetworks TrustedProxies { get; init; }

    /// <summary>Shutdown has begun: idle sessions say 421 and close; a message in progress may finish.</summary>
    public required CancellationToken Stopping { get; init; }

    /// <summary>The shutdown grace is over: everything still running is cancelled.</summary>
    public required CancellationToken Aborted { get; init; }
}
