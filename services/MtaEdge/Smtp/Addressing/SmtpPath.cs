using Gateway.Common.Configuration;

namespace Gateway.MtaEdge.Smtp.Addressing;

/// <summary>
/// A reverse- or forward-path as parsed from MAIL or RCPT (RFC 5321 4.1.2), any source route
/// already dropped (RFC 5321 C: accepted and ignored).
/// </summary>
internal sealed record SmtpPath
{
    public static readonly SmtpPath Null = new() { IsNull = true };

    /// <summary>The null reverse-path &lt;&gt;.</summary>
    public bool IsNull { get; init; }

    /// <summary>The local part in canonical form: a dot-string, or a quoted string when it must be.</summary>
    public string LocalPart { get; init; } = "";

    /// <summary>The local part with quoting removed: what a mailbox is actually named.</summary>
    public string LocalContent { get; init; } = "";

    /// <summary>
    /// The domain as sent (may end in a dot), or an address literal with its brackets;
    /// empty for &lt;Postmaster&gt;.
    /// </summary>
    public string Domain { get; init; } = "";

    public bool IsAddressLiteral { get; init; }

    /// <summary>Octets outside ASCII appear in the local part or domain (needs SMTPUTF8, RFC 6531).</summary>
    public bool HasNonAscii { get; init; }

    /// <summary>True when the source route (A-d-l) was present and dropped.</summary>
    public bool HadSourceRoute { get; init; }

    /// <summary>The bare &lt;Postmaster&gt; forward-path, which every server must accept (RFC 5321 4.5.1).</summary>
    public bool IsBarePostmaster => !IsNull && Domain.Length == 0;

    /// <summary>local@domain with the domain lowercased and without a trailing dot; "" for the null path.</summary>
    public string Address => IsNull ? "" : $"{LocalPart}@{NormalizedDomain}";

    public string NormalizedDomain => IsAddressLiteral ? Domain : DomainSet.Normalize(Domain);
}
