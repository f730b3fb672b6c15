namespace Gateway.MtaEdge.Smtp.Addressing;

/// <summary>One esmtp-param of MAIL or RCPT (RFC 5321 4.1.2): keyword, optional value.</summary>
internal readonly record struct MailParameter(string Keyword, string? Value);
