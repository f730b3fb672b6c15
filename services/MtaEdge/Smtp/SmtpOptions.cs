namespace Gateway.MtaEdge.Smtp;

/// <summary>
/// Settings of the internet-facing ESMTP listener, bound from <c>Gateway:Smtp</c> and checked at
/// start-up by <see cref="SmtpOptionsValidator"/>. Every size and count a client controls has a limit here.
/// </summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Gateway:Smtp";

    /// <summary>
    /// Address and port to listen on: <c>127.0.0.1:2525</c>, <c>[::1]:25</c>, <c>*:25</c>. May be empty
    /// when <see cref="ProxyListen"/> is set (the gateway then sits only behind a proxy).
    /// </summary>
    public string Listen { get; set; } = "127.0.0.1:2525";

    /// <summary>
    /// A second listener whose clients are load balancers speaking the PROXY protocol (v1 or v2): each
    /// connection starts with a header naming the real client, which then drives every check, log line
    /// and Received: field. Empty: no such listener.
    /// </summary>
    public string ProxyListen { get; set; } = "";

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.0.0.0/8</c>, <c>2001:db8::/32</c>, or single addresses) allowed to
    /// connect to <see cref="ProxyListen"/>. Anyone else is disconnected without a word: a PROXY header
    /// from an untrusted peer would let it claim any address.
    /// </summary>
    public List<string> ProxyTrustedNetworks { get; set; } = new();

    /// <summary>How long a proxy may take to send its PROXY header.</summary>
    public TimeSpan ProxyHeaderTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// PEM file with the server certificate (and any intermediates) for STARTTLS (RFC 3207). Empty:
    /// STARTTLS is not offered. The file and <see cref="TlsKeyFile"/> are re-read when they change.
    /// </summary>
    public string TlsCertificateFile { get; set; } = "";

    /// <summary>PEM file with the private key of <see cref="TlsCertificateFile"/> (PKCS#8, RSA or EC).</summary>
    public string TlsKeyFile { get; set; } = "";

    /// <summary>How often the certificate files are checked for a change (at most once per handshake).</summary>
    public TimeSpan TlsReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a TLS handshake after STARTTLS may take.</summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the server stays silent before its 220 greeting. A client that talks first (before
    /// the greeting, RFC 5321 3.1: the server speaks first) is refused with 554 5.5.1 and disconnected;
    /// spam engines often do. Zero: no wait, but a client that already talked is still refused.
    /// </summary>
    public TimeSpan GreetingDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Largest message accepted, in octets, as received (advertised as SIZE, RFC 1870).</summary>
    public long MaxMessageBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>
    /// Recipients accepted per message; the next ones get 452 4.5.3 and the client sends them in
    /// another transaction (RFC 5321 4.5.3.1.10 wants at least 100).
    /// </summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>Longest command line including its CRLF (RFC 5321 4.5.3.1.4: 512).</summary>
    public int MaxCommandLineBytes { get; set; } = 512;

    /// <summary>Longest header section of a message, in octets; a larger one is refused (552 5.3.4).</summary>
    public int MaxHeaderBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Longest line of message text including its CRLF. RFC 5321 4.5.3.1.6 sets 1000 but real mail
    /// breaks it, so the default is generous; a longer line gets the message refused.
    /// </summary>
    public int MaxTextLineBytes { get; set; } = 64 * 1024;

    /// <summary>More Received: headers than this means a mail loop (554 5.4.6, RFC 5321 6.3).</summary>
    public int MaxReceivedHeaders { get; set; } = 50;

    /// <summary>Protocol errors a session may make before it is closed with 421 4.7.0.</summary>
    public int MaxErrors { get; set; } = 20;

    /// <summary>Errors answered at once; each further error's reply is delayed (a tarpit for probes).</summary>
    public int ErrorDelayAfter { get; set; } = 3;

    /// <summary>
    /// The delay of the first delayed error reply; the n-th is n times this, up to <see cref="MaxErrorDelay"/>.
    /// </summary>
    public TimeSpan ErrorDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of one error reply's delay.</summary>
    public TimeSpan MaxErrorDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Commands that make no progress (NOOP, RSET, VRFY, HELP, EHLO/HELO after the first) a session may
    /// send between two accepted messages before it is closed with 421 4.7.0.
    /// </summary>
    public int MaxJunkCommands { get; set; } = 100;

    /// <summary>Concurrent sessions; the next connection gets 421 4.3.2 and is closed.</summary>
    public int MaxSessions { get; set; } = 1000;

    /// <summary>How long the server waits for the next command (RFC 5321 4.5.3.2.7: at least 5 minutes).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the server waits for each further block of DATA (RFC 5321 4.5.3.2.5: 3 minutes).</summary>
    public TimeSpan DataBlockTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Longest the end of DATA may take (fingerprint scan and spool). The client waits 10 minutes
    /// for this reply (RFC 5321 4.5.3.2.6); answering 451 well before that avoids a duplicate.
    /// </summary>
    public TimeSpan ProcessingTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest a session may last in total, however active the client is.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>On shutdown, how long sessions in the middle of a message get to finish it.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);
}
