namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>What the edge needs to know about a message's header section.</summary>
/// <param name="HeaderBytes">Octets of the header section, up to but not including the blank line.</param>
/// <param name="ReceivedCount">Received: fields seen (loop detection, RFC 5321 6.3).</param>
/// <param name="MessageId">The Message-ID field's value, or null when the message has none.</param>
/// <param name="From">The first From: field's value, unfolded but not decoded, or null when there is none.</param>
/// <param name="TooLarge">The section is longer than the limit; scanning stopped there.</param>
internal sealed record HeaderSummary(int HeaderBytes, int ReceivedCount, string? MessageId, string? From,
    bool TooLarge);
