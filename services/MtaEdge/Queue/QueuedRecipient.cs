namespace Gateway.MtaEdge.Queue;

/// <summary>One envelope recipient of a queued message and its delivery state.</summary>
public sealed class QueuedRecipient
{
    /// <summary>The address as accepted at RCPT (domain lowercased).</summary>
    public required string Address { get; init; }

    public RecipientStatus Status { get; set; } = RecipientStatus.Pending;

    /// <summary>The last reply or error seen for this recipient, for logs and bounces.</summary>
    public string? LastResult { get; set; }

    /// <summary>
    /// NOTIFY of RCPT (RFC 3461 4.1) in canonical form: "NEVER" or a comma list of SUCCESS, FAILURE,
    /// DELAY; empty when not given (failures are reported).
    /// </summary>
    public string DsnNotify { get; init; } = "";

    /// <summary>ORCPT of RCPT (RFC 3461 4.2) as "addr-type;address", decoded; empty when not given.</summary>
    public string DsnOriginalRecipient { get; init; } = "";
}
