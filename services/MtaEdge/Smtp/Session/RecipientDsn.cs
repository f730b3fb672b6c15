namespace Gateway.MtaEdge.Smtp.Session;

/// <summary>The DSN parameters of one RCPT (RFC 3461): NOTIFY in canonical form and ORCPT decoded.</summary>
internal sealed record RecipientDsn(string Notify, string OriginalRecipient)
{
    public static readonly RecipientDsn None = new("", "");
}
