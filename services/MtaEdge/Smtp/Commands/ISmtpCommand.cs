using Gateway.MtaEdge.Smtp.Session;

namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>One SMTP verb: checks the session state it needs, replies, and moves the state on.</summary>
internal interface ISmtpCommand
{
    /// <param name="argument">Everything after the verb and one space, trailing spaces removed.</param>
    ValueTask ExecuteAsync(SmtpSession session, string argument);
}
