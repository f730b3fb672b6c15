namespace Gateway.MtaEdge.Smtp.Protocol;

/// <summary>The fixed replies of the edge, with their RFC 3463 enhanced status codes.</summary>
public static class SmtpReplies
{
    public static readonly SmtpReply Ok = new(250, "2.0.0", "Ok");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "Sender ok");
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5", "Recipient ok");
    public static readonly SmtpReply Bye = new(221, "2.0.0", "Bye");
    public static readonly SmtpReply StartData = new(354, "", "End data with <CR><LF>.<CR><LF>");
    public static readonly SmtpReply CannotVerify =
        new(252, "2.5.0", "Cannot verify the user, but will accept the message and attempt delivery");

    public static readonly SmtpReply LineTooLong = new(500, "5.5.2", "Line too long");
    public static readonly SmtpReply BareLineEnd =
        new(500, "5.5.2", "Syntax error: command lines must end with CRLF, no bare CR or LF");
    public static readonly SmtpReply InvalidUtf8 = new(500, "5.5.2", "Syntax error: invalid UTF-8 in command");
    public static readonly SmtpReply UnknownCommand = new(500, "5.5.2", "Command unrecognized");
    public static readonly SmtpReply NotImplemented = new(502, "5.5.1", "Command not implemented");
    public static readonly SmtpReply BadSequence = new(503, "5.5.1", "Bad sequence of commands");
    public static readonly SmtpReply HelloFirst = new(503, "5.5.1", "Send EHLO or HELO first");
    public static readonly SmtpReply NestedMail = new(503, "5.5.1", "Sender already given");
    public static readonly SmtpReply MailFirst = new(503, "5.5.1", "Need MAIL before RCPT");
    public static readonly SmtpReply NoValidRecipients = new(554, "5.5.1", "No valid recipients");

    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "Too many recipients");
    public static readonly SmtpReply RelayDenied = new(550, "5.7.1", "Relay access denied");
    public static readonly SmtpReply MessageTooBig = new(552, "5.3.4", "Message size exceeds fixed limit");
    public static readonly SmtpReply HeaderTooBig = new(552, "5.3.4", "Message header section too large");
    public static readonly SmtpReply TextLineTooLong = new(552, "5.3.4", "Message has a line that is too long");

    // RFC 5321 2.3.8: lines end only with CRLF. Accepting bare CR or LF is what SMTP smuggling needs.
    public static readonly SmtpReply BareLineEndInData =
        new(550, "5.6.0", "Message refused: bare CR or LF in message (lines must end with CRLF)");
    public static readonly SmtpReply MailLoop = new(554, "5.4.6", "Too many Received headers: mail loop");
    public static readonly SmtpReply FilterRefused = new(550, "5.7.1", "Message refused");
    public static readonly SmtpReply FilterTempFail = new(451, "4.7.1", "Message deferred, try again later");
    public static readonly SmtpReply LocalError =
        new(451, "4.3.0", "Local error, message not accepted, try again later");

    public static readonly SmtpReply LocalErrorClosing = new(421, "4.3.0", "Local error, closing connection");

    public static readonly SmtpReply ConnectRefused = new(554, "5.7.1", "Connection refused");
    public static readonly SmtpReply ConnectDeferred = new(421, "4.7.0", "Try again later");
    public static readonly SmtpReply ConnectCheckFailed = new(421, "4.3.0", "Service temporarily unavailable");
    public static readonly SmtpReply TooManySessions = new(421, "4.3.2", "Too many connections, try again later");
    public static readonly SmtpReply TooManyErrors = new(421, "4.7.0", "Too many errors, closing connection");
    public static readonly SmtpReply Timeout = new(421, "4.4.2", "Timeout, closing connection");
    public static readonly SmtpReply SessionTooLong = new(421, "4.4.2", "Session too long, closing connection");
    public static readonly SmtpReply NoProgress = new(421, "4.7.0", "Too many commands without progress, closing");
    public static readonly SmtpReply EarlyTalker =
        new(554, "5.5.1", "Protocol error: the client must wait for the greeting");
    public static readonly SmtpReply ShuttingDown = new(421, "4.3.2", "Service shutting down, try again later");
}
