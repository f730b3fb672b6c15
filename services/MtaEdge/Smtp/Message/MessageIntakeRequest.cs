using System.Net;
using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>The session facts the end of DATA needs besides the content.</summary>
/// <param name="Tls">"TLSv1.3 cipher" when the session is protected by TLS, else "".</param>
internal sealed record MessageIntakeRequest(
    string SessionId, IPAddress ClientAddress, string Helo, bool Extended, SmtpTransaction Transaction,
    string Tls = "", bool ClientAllowListed = false);
