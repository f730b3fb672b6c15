using System.Globalization;
using Gateway.V1;
using Action = Gateway.V1.Action;

namespace Gateway.SenderIntelligence.Postfix;

/// <summary>
/// Answers one policy delegation request with the tier's checks. By <c>protocol_state</c>: CONNECT runs the
/// connect check; MAIL the connect check (once per session) and the MAIL check; RCPT those two as needed (once per
/// session and per transaction) and the RCPT check; END-OF-MESSAGE counts the message. A refusal becomes
/// <c>action=&lt;code&gt; &lt;enhanced code&gt; &lt;text&gt;</c> (access(5): Postfix sends it as the reply; 421
/// also disconnects); an acceptance becomes <c>action=DUNNO</c>, so Postfix goes on with its other restrictions.
/// Concurrent connections are not leased here: Postfix never says when a session ends, and limits them itself
/// (smtpd_client_connection_count_limit).
/// </summary>
public sealed class PostfixPolicyHandler
{
    public const string Neutral = "DUNNO";

    private readonly SenderIntelligenceService _service;
    private readonly PostfixSessions _sessions;

    public PostfixPolicyHandler(SenderIntelligenceService service, PostfixSessions sessions)
    {
        _service = service;
        _sessions = sessions;
    }

    /// <summary>The action for a request (without the "action=" prefix).</summary>
    public async Task<string> HandleAsync(PostfixPolicyRequest request, CancellationToken cancellationToken)
    {
        var state = request.Get("protocol_state").ToUpperInvariant();
        if (request.Get("request") != "smtpd_access_policy"
            || state is not ("CONNECT" or "EHLO" or "HELO" or "MAIL" or "RCPT" or "DATA" or "END-OF-MESSAGE"))
        {
            return Neutral;
        }

        var address = request.Get("client_address");
        var port = request.Get("client_port");
        var session = _sessions.Get(address + "|" + (port.Length > 0 ? port : request.Get("instance")));
        await session.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await HandleAsync(request, state, address, session, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            session.Lock.Release();
        }
    }

    private async Task<string> HandleAsync(
        PostfixPolicyRequest request,
        string state,
        string address,
        PostfixSession session,
        CancellationToken cancellationToken)
    {
        // Connect: once per session, at whichever request comes first.
        if (session.Connect is null)
        {
            var connect = await _service.CheckConnectWithoutLeaseAsync(
                new ConnectRequest
                {
                    SessionId = session.Id,
                    ClientIp = address,
                    ClientPort = Int(request.Get("client_port")),
                    LocalEndpoint = request.Get("server_address") + ":" + request.Get("server_port"),
                },
                cancellationToken).ConfigureAwait(false);
            session.Connect = connect.Verdict;
        }

        if (!IsAccept(session.Connect))
        {
            return ToAction(session.Connect);
        }

        if (state is "CONNECT" or "EHLO" or "HELO" or "DATA")
        {
            return Neutral;
        }

        var helo = request.Get("helo_name");
        var sender = request.Get("sender");
        if (state == "END-OF-MESSAGE")
        {
            var data = await _service.CheckEndOfDataAsync(
                new EndOfDataRequest
                {
                    SessionId = session.Id,
                    ClientIp = address,
                    Helo = helo,
                    MailFrom = sender,
                    Recipients = Int(request.Get("recipient_count")),
                    SizeBytes = Long(request.Get("size")),
                    Content = ContentVerdict.Clean,
                },
                cancellationToken).ConfigureAwait(false);
            return ToAction(data.Verdict);
        }

        // MAIL: once per transaction (instance), at MAIL or at its first RCPT.
        var instance = request.Get("instance");
        if (session.MailInstance != instance || session.Mail is null)
        {
            var mail = await _service.CheckMailAsync(
                new MailRequest
                {
                    SessionId = session.Id,
                    ClientIp = address,
                    Helo = helo,
                    MailFrom = sender,
                    DeclaredSize = Long(request.Get("size")),
                },
                cancellationToken).ConfigureAwait(false);
            session.MailInstance = instance;
            session.Mail = mail.Verdict;
        }

        if (state == "MAIL" || !IsAccept(session.Mail))
        {
            return ToAction(session.Mail);
        }

        var rcpt = await _service.CheckRcptAsync(
            new RcptRequest
            {
                SessionId = session.Id,
                ClientIp = address,
                Helo = helo,
                MailFrom = sender,
                Recipient = request.Get("recipient"),
            },
            cancellationToken).ConfigureAwait(false);
        return ToAction(rcpt.Verdict);
    }

    /// <summary>An accept is DUNNO; a refusal is its SMTP reply, on one line.</summary>
    public static string ToAction(Verdict? verdict)
    {
        if (IsAccept(verdict))
        {
            return Neutral;
        }

        var code = verdict!.SmtpCode is >= 400 and <= 599
            ? verdict.SmtpCode
            : verdict.Action == Action.Tempfail ? 450 : 550;
        var text = new string((verdict.Text ?? "").Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        var enhanced = string.IsNullOrEmpty(verdict.EnhancedCode) ? "" : verdict.EnhancedCode + " ";
        return $"{code} {enhanced}{(text.Length > 0 ? text : "Refused by sender policy")}";
    }

    private static bool IsAccept(Verdict? verdict) => verdict is null
        || verdict.Action is Action.Accept or Action.Unspecified;

    private static int Int(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static long Long(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
