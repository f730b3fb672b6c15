namespace Gateway.MtaEdge.Smtp;

/// <summary>
/// Settings of the internet-facing ESMTP listener, bound from <c>Gateway:Smtp</c> and checked at
/// start-up by <see cref="SmtpOptionsValidator"/>. Every size and count a client controls has a limit here.
/// </summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Gateway:Smtp";

    /// <summary>Address and port to listen on: <c>127.0.0.1:2525</c>, <c>[::1]:25</c>, <c>*:25</c>.</summary>
    public string Listen { get; set; } = "127.0.0.1:2525";

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
    public int MaxErrors { get; set; } = 10;

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
