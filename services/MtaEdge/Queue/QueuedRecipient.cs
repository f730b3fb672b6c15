namespace Gateway.MtaEdge.Queue;

/// <summary>One envelope recipient of a queued message and its delivery state.</summary>
public sealed class QueuedRecipient
{
    /// <summary>The address as accepted at RCPT (domain lowercased).</summary>
    public required string Address { get; init; }

    public RecipientStatus Status { get; set; } = RecipientStatus.Pending;

    /// <summary>The last reply or error seen for this recipient, for logs and bounces.</summary>
    public string? LastResult { get; set; }
}
